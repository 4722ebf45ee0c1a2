package dev.octo.bootstrap;

import com.google.inject.Injector;
import dev.octo.adapters.cli.socket.InProcessLink;
import dev.octo.adapters.cli.socket.Link;
import dev.octo.adapters.cli.socket.OneShot;
import dev.octo.adapters.cli.socket.SocketLink;
import dev.octo.adapters.persistence.InstanceLock;
import dev.octo.adapters.persistence.InstanceLockedException;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.service.TaskEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code octo bg|wait|tasks|task|agent ...}: one command for a script. When an Octo runs on this
 * state folder the command goes to it through its socket; when none does, this run starts the
 * engine for the one command and leaves its tasks running for the next start, as at the end of
 * piped input.
 */
final class OneShotCommands {

    private OneShotCommands() {
    }

    static int run(List<String> arguments, Map<String, String> environment, Path workingDirectory,
            PrintStream stdout, PrintStream stderr) {
        String misuse = OneShot.misuse(arguments);
        if (misuse != null) {
            stderr.println(misuse);
            stderr.println(OneShot.USAGE);
            return Octo.EXIT_USAGE;
        }
        Logging.neverToTheConsole();
        Logging.keepOffTheTerminal();
        OctoConfig config;
        try {
            config = ConfigLoader.load(environment, workingDirectory);
            ConfigLoader.prepareStateFolder(config);
        } catch (ConfigException e) {
            stderr.println("octo: " + e.getMessage());
            return Octo.EXIT_CONFIG;
        }
        OneShot command = new OneShot(stdout, stderr);
        Path log = null;
        try (InstanceLock lock = InstanceLock.acquire(config.octoDir())) {
            log = Logging.toFile(config.logsDirectory());
            return inProcess(config, arguments, command, stderr);
        } catch (InstanceLockedException e) {
            Path socket = config.octoDir().resolve(SocketServing.FILE_NAME);
            try (Link link = SocketLink.connect(socket)) {
                return command.run(arguments, link);
            } catch (IOException attached) {
                stderr.println("octo: the Octo running on " + config.octoDir() + " does not answer on " + socket + ": "
                        + attached.getMessage());
                return 1;
            }
        } catch (IOException | RuntimeException e) {
            System.getLogger(OneShotCommands.class.getName()).log(Level.ERROR, "Octo stopped on an error", e);
            stderr.println("octo: stopped on an error: " + e + (log == null ? "" : " (details in " + log + ")"));
            return 1;
        }
    }

    private static int inProcess(OctoConfig config, List<String> arguments, OneShot command, PrintStream stderr)
            throws IOException {
        Injector injector = Octo.injector(config);
        TaskEngine engine = injector.getInstance(TaskEngine.class);
        Thread hook = new Thread(engine::close, "octo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            engine.start();
            for (String problem : engine.loadProblems()) {
                stderr.println("octo: " + problem);
            }
            try (Link link = new InProcessLink(injector.getInstance(InterpretCommandUseCase.class),
                    injector.getInstance(TaskQueries.class))) {
                return command.run(arguments, link);
            } finally {
                // as at the end of piped input: what runs goes on, what waits starts at the next start
                engine.holdQueue();
                try {
                    engine.awaitCancelledStopped(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            engine.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is ending and the hook runs, or ran, close() itself
            }
        }
    }
}
