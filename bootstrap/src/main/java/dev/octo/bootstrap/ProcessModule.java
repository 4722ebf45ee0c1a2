package dev.octo.bootstrap;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.adapters.process.LocalCommandRunner;
import dev.octo.adapters.process.LocalProcessRunner;
import dev.octo.application.port.out.CommandRunner;
import dev.octo.application.port.out.ProcessRunner;

/** Process tasks, and the commands of agents, run by {@code /bin/sh -c} in process groups of their own. */
final class ProcessModule extends OctoModule {

    ProcessModule(OctoConfig config) {
        super(config);
    }

    @Provides
    @Singleton
    ProcessRunner processRunner() {
        return new LocalProcessRunner(config.tasksDirectory());
    }

    @Provides
    @Singleton
    CommandRunner commandRunner() {
        return new LocalCommandRunner();
    }
}
