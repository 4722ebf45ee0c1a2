package dev.octo.bootstrap.canary;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import jakarta.inject.Singleton;

/** Not a canary: Guice wiring in bootstrap, which the Guice and DI rules allow. */
public final class WiringModule extends AbstractModule {

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
    }

    @Provides
    @Singleton
    String greeting() {
        return "hello";
    }
}
