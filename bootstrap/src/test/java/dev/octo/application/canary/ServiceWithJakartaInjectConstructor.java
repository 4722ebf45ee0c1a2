package dev.octo.application.canary;

import jakarta.inject.Inject;

/** Canary: a DI annotation on an application constructor. */
public final class ServiceWithJakartaInjectConstructor {

    private final String name;

    @Inject
    public ServiceWithJakartaInjectConstructor(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }
}
