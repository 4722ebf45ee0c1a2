package dev.octo.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.octo.adapters.cli.JLineConsole;
import dev.octo.adapters.cli.PlainConsole;
import dev.octo.adapters.cli.socket.OneShot;
import dev.octo.adapters.persistence.InstanceLock;
import dev.octo.adapters.persistence.InstanceLockedException;
import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.HoldQueueUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.service.TaskEngine;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The entry points: {@code octo} (the terminal) and {@code octo telegram} (the Telegram-only daemon). */
public final class Octo {

    static final int EXIT_OK = 0;
    static final int EXIT_LOCKED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CONFIG = 3;
    /** A script (stdin not a terminal) had a command refused. */
    static final int EXIT_REFUSED = 1;

    static final String USAGE = String.join("\n",
            "Usage: octo [telegram | --help | --version]",
            "  octo           the terminal front end (reads commands from stdin when it is not a terminal)",
            "  octo telegram  the Telegram-only daemon",
            "Configuration comes from the environment and from .env in the working directory.",
            "Type /help inside Octo for its commands.",
            "For scripts (through the running Octo, or in this process when none runs):",
            OneShot.USAGE);

    private Octo() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), Path.of(""), System.in, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args, Map<String, String> environment, Path workingDirectory, InputStream stdin,
            PrintStream stdout, PrintStream stderr) {
        List<String> arguments = List.of(args);
        if (OneShot.handles(arguments)) {
            return OneShotCommands.run(arguments, environment, workingDirectory, stdout, stderr);
        }
        if (arguments.contains("--help") || arguments.contains("-h")) {
            stdout.println(USAGE);
            return EXIT_OK;
        }
        if (arguments.contains("--version")) {
            stdout.println("octo " + version());
            return EXIT_OK;
        }
        boolean telegram = arguments.equals(List.of("telegram"));
        if (!arguments.isEmpty() && !telegram) {
            stderr.println("octo: unknown arguments " + String.join(" ", arguments));
            stderr.println(USAGE);
            return EXIT_USAGE;
        }
        Logging.keepOffTheTerminal();
        OctoConfig config;
        try {
            config = ConfigLoader.load(environment, workingDirectory);
        } catch (ConfigException e) {
            stderr.println("octo: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (telegram) {
            stderr.println("octo: the Telegram-only daemon is not built yet; run ./octo for the terminal front end");
            return EXIT_USAGE;
        }
        try {
            ConfigLoader.prepareStateFolder(config);
        } catch (ConfigException e) {
            stderr.println("octo: " + e.getMessage());
            return EXIT_CONFIG;
        }
        Path log = null;
        try (InstanceLock lock = InstanceLock.acquire(config.octoDir())) {
            log = Logging.toFile(config.logsDirectory());
            return runCli(config, stdin, stdout, stderr);
        } catch (InstanceLockedException e) {
            return Attaching.attach(config, e, stdin, stdout, stderr);
        } catch (IOException | RuntimeException e) {
            System.getLogger(Octo.class.getName()).log(Level.ERROR, "Octo stopped on an error", e);
            // before the log is open, there are no details to point to
            stderr.println("octo: stopped on an error: " + e + (log == null ? "" : " (details in " + log + ")"));
            return 1;
        }
    }

    private static int runCli(OctoConfig config, InputStream stdin, PrintStream stdout, PrintStream stderr)
            throws IOException {
        Injector injector = injector(config);
        TaskEngine engine = injector.getInstance(TaskEngine.class);
        InterpretCommandUseCase interpreter = injector.getInstance(InterpretCommandUseCase.class);
        // SIGTERM and SIGHUP end the JVM through its shutdown hooks: process tasks keep running
        Thread hook = new Thread(engine::close, "octo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        SocketServing serving = new SocketServing(config.octoDir(), interpreter,
                injector.getInstance(TaskQueries.class), engine);
        try {
            boolean allAccepted = true;
            if (stdin == System.in && isInteractive()) {
                try (JLineConsole console = JLineConsole.onSystemTerminal(interpreter,
                        injector.getInstance(TaskQueries.class), injector.getInstance(CancelTaskUseCase.class),
                        injector.getInstance(HoldQueueUseCase.class), config.octoDir().resolve("history"))) {
                    engine.register(console);
                    startAndReport(engine, console::notifyProblem);
                    serving.start(console::notifyProblem);
                    console.run();
                }
            } else {
                PlainConsole console = new PlainConsole(
                        new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), stdout, stderr,
                        interpreter);
                engine.register(console);
                startAndReport(engine, console::notifyProblem);
                serving.start(console::notifyProblem);
                allAccepted = console.run();
            }
            // leaving: a worker freed from now on (a task stopped on leaving) must not start a waiting task
            engine.holdQueue();
            // a script that cancels a task and ends at once must not end the JVM before the KILL
            awaitStoppedProcesses(engine);
            return allAccepted ? EXIT_OK : EXIT_REFUSED;
        } finally {
            // also on an error: a run inside a longer-lived JVM (a test) leaves no threads nor hook
            serving.close();
            engine.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is ending and the hook runs, or ran, close() itself
            }
        }
    }

    private static void startAndReport(TaskEngine engine, java.util.function.Consumer<String> out) {
        engine.start();
        for (String problem : engine.loadProblems()) {
            out.accept("octo: " + problem);
        }
    }

    /**
     * Waits a little for the process groups the user chose to stop on leaving, so that their KILL,
     * which follows TERM after a grace, is sent before the JVM ends.
     */
    private static void awaitStoppedProcesses(TaskEngine engine) {
        try {
            engine.awaitCancelledStopped(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether stdin and stdout are a terminal a person types at. */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22 and later give a console even when redirected, and say whether it is a terminal
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21 gives a console only to a terminal
        }
    }

    /** The injector of the whole application, for one configuration. */
    static Injector injector(OctoConfig config) {
        // Octo uses no method interception; without bytecode generation Guice needs no sun.misc.Unsafe,
        // whose use newer JDKs warn about on the terminal
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
        return Guice.createInjector(Stage.PRODUCTION,
                new ApplicationModule(config),
                new PersistenceModule(config),
                new ProcessModule(config),
                new LlmModule(config));
    }

    static String version() {
        String version = Octo.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }
}
