package dev.octo.application.canary;

import javax.inject.Inject;

/** Canary: the older DI annotation on an application constructor. */
public final class ServiceWithJavaxInjectConstructor {

    private final String name;

    @Inject
    public ServiceWithJavaxInjectConstructor(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }
}
