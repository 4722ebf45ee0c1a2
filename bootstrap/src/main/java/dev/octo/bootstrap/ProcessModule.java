package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.adapters.process.LocalProcessRunner;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.domain.ClaudeCommandRule;

/** Process tasks run by {@code /bin/sh -c} in process groups of their own. */
final class ProcessModule extends AbstractModule {

    private final OctoConfig config;

    ProcessModule(OctoConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
    }

    @Provides
    @Singleton
    ProcessRunner processRunner() {
        return new LocalProcessRunner(config.tasksDirectory(), new ClaudeCommandRule(config.additionalClaudeArgs()));
    }
}
