package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;

/** A module of Octo's wiring: built from the configuration, every binding explicit. */
abstract class OctoModule extends AbstractModule {

    protected final OctoConfig config;

    OctoModule(OctoConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected final void configure() {
        binder().requireExplicitBindings();
        bindings();
    }

    /**
     * The bindings made here rather than by {@code @Provides} methods: one interface to another
     * binding. Guice reads every provider method's signature and annotations when it starts, which
     * costs a start about a millisecond and a half each.
     */
    protected void bindings() {
    }
}
