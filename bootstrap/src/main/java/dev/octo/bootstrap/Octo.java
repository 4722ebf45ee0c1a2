package dev.octo.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.octo.adapters.cli.JLineConsole;
import dev.octo.adapters.cli.PlainConsole;
import dev.octo.adapters.cli.socket.OneShot;
import dev.octo.adapters.persistence.InstanceLock;
import dev.octo.adapters.persistence.InstanceLockedException;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.telegram.TelegramFrontEnd;
import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.HoldQueueUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.TaskStore;
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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The entry points: {@code octo} (the terminal) and {@code octo telegram} (the Telegram-only daemon). */
public final class Octo {

    static final int EXIT_OK = 0;
    static final int EXIT_LOCKED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CONFIG = 3;
    /** A script (stdin not a terminal) had a command refused. */
    static final int EXIT_REFUSED = 1;

    /** How long a SIGTERM waits for the daemon to stop in order before the JVM ends anyway. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

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
        // java.util.logging starts, a good part of the start, on a second core while this thread reads
        // the configuration, takes the lock and wires the application (Jackson is set up later, off the
        // way to the first prompt, when the task store first needs it)
        Logging.neverToTheConsole();
        Thread.ofPlatform().daemon().name("octo-prepare").start(Logging::keepOffTheTerminal);
        OctoConfig config;
        try {
            config = ConfigLoader.load(environment, workingDirectory);
        } catch (ConfigException e) {
            stderr.println("octo: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (telegram && !config.telegramEnabled()) {
            stderr.println("octo: the Telegram-only daemon needs TELEGRAM_BOT_TOKEN and TELEGRAM_OWNER_ID"
                    + " (in the environment or .env)");
            return EXIT_CONFIG;
        }
        try {
            ConfigLoader.prepareStateFolder(config);
        } catch (ConfigException e) {
            stderr.println("octo: " + e.getMessage());
            return EXIT_CONFIG;
        }
        boolean interactive = !telegram && stdin == System.in && isInteractive();
        Path log = null;
        // the terminal and its line editor open meanwhile too; a start that attaches to a running Octo
        // closes them, and the attached terminal opens its own
        try (JLineConsole.Opening opening = interactive
                        ? JLineConsole.openSystemTerminal(config.octoDir().resolve("history")) : null;
                InstanceLock lock = InstanceLock.acquire(config.octoDir())) {
            log = Logging.toFile(config.logsDirectory());
            return telegram ? runDaemon(config, stderr) : runCli(config, opening, stdin, stdout, stderr);
        } catch (InstanceLockedException e) {
            return Attaching.attach(config, e, stdin, stdout, stderr);
        } catch (IOException | RuntimeException e) {
            System.getLogger(Octo.class.getName()).log(Level.ERROR, "Octo stopped on an error", e);
            // before the log is open, there are no details to point to
            stderr.println("octo: stopped on an error: " + e + (log == null ? "" : " (details in " + log + ")"));
            return 1;
        }
    }

    /** The terminal front end on the terminal {@code opening} opens, or, without one, the plain console on stdin. */
    static int runCli(OctoConfig config, JLineConsole.Opening opening, InputStream stdin, PrintStream stdout,
            PrintStream stderr) throws IOException {
        Injector injector = injector(config);
        TaskEngine engine = injector.getInstance(TaskEngine.class);
        InterpretCommandUseCase interpreter = injector.getInstance(InterpretCommandUseCase.class);
        Optional<TelegramFrontEnd> telegram = injector.getInstance(TelegramModule.FRONT_END);
        // SIGTERM and SIGHUP end the JVM through its shutdown hooks: process tasks keep running
        Thread hook = new Thread(() -> stop(telegram, engine), "octo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        SocketServing serving = new SocketServing(config.octoDir(), interpreter,
                injector.getInstance(TaskQueries.class), engine);
        try {
            boolean allAccepted = true;
            if (opening != null) {
                try (JLineConsole console = JLineConsole.onSystemTerminal(opening, interpreter,
                        injector.getInstance(TaskQueries.class), injector.getInstance(CancelTaskUseCase.class),
                        injector.getInstance(HoldQueueUseCase.class))) {
                    engine.register(console);
                    registerTelegram(injector, engine, console::notifyProblem);
                    startAndReport(engine, console::notifyProblem);
                    telegram.ifPresent(TelegramFrontEnd::start);
                    serving.start(console::notifyProblem);
                    console.run();
                }
            } else {
                PlainConsole console = new PlainConsole(
                        new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), stdout, stderr,
                        interpreter);
                engine.register(console);
                registerTelegram(injector, engine, console::notifyProblem);
                startAndReport(engine, console::notifyProblem);
                telegram.ifPresent(TelegramFrontEnd::start);
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
            stop(telegram, engine);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is ending and the hook runs, or ran, close() itself
            }
        }
    }

    /**
     * The Telegram-only daemon: runs the engine and the bot until SIGTERM or SIGINT, then stops as
     * the terminal does when left, process tasks running on for the next start to adopt. Its
     * stderr is what a service manager keeps (the journal): one line when it runs, problems of
     * Octo itself, one line when it stops.
     */
    private static int runDaemon(OctoConfig config, PrintStream stderr) {
        Injector injector = injector(config);
        TaskEngine engine = injector.getInstance(TaskEngine.class);
        Optional<TelegramFrontEnd> telegram = injector.getInstance(TelegramModule.FRONT_END);
        CountDownLatch stopAsked = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // the JVM ends as soon as its hooks return: this one waits for the orderly stop below
        Thread hook = new Thread(() -> {
            stopAsked.countDown();
            try {
                stopped.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "octo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // a terminal on the server attaches to the daemon as to any Octo
        SocketServing serving = new SocketServing(config.octoDir(), injector.getInstance(InterpretCommandUseCase.class),
                injector.getInstance(TaskQueries.class), engine);
        try {
            engine.register(new JournalNotifier(stderr));
            registerTelegram(injector, engine, stderr::println);
            startAndReport(engine, stderr::println);
            telegram.ifPresent(TelegramFrontEnd::start);
            serving.start(stderr::println);
            stderr.println("octo: the Telegram-only daemon runs; SIGTERM or Ctrl-C stops it");
            stopAsked.await();
            return EXIT_OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_OK;
        } finally {
            engine.holdQueue();
            serving.close();
            stop(telegram, engine);
            stderr.println("octo: stopped; running process tasks go on and the next start adopts them");
            stderr.flush();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is ending: the hook is what asked for this stop
            }
        }
    }

    /**
     * Makes the bot, when Telegram is configured, a channel of the engine before the engine starts,
     * so that it hears of the tasks the start finds ended (it sends them once it runs); {@code out}
     * gets the line saying it stopped on a refused token.
     */
    private static void registerTelegram(Injector injector, TaskEngine engine, Consumer<String> out) {
        injector.getInstance(TelegramModule.FRONT_END).ifPresent(bot -> {
            injector.getInstance(BotStopLine.class).sendTo(line -> out.accept("octo: " + line));
            engine.register(bot);
        });
    }

    /** The bot first, so that no command reaches an engine that is closing. */
    private static void stop(Optional<TelegramFrontEnd> telegram, TaskEngine engine) {
        telegram.ifPresent(TelegramFrontEnd::close);
        engine.close();
    }

    private static void startAndReport(TaskEngine engine, Consumer<String> out) {
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
        // a console is there even when redirected; it says whether it is a terminal
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** The injector of the whole application, for one configuration. */
    static Injector injector(OctoConfig config) {
        // Octo uses no method interception; without bytecode generation Guice needs no sun.misc.Unsafe,
        // whose use newer JDKs warn about on the terminal
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
        // the task store loads on a thread of its own from now, while Guice reads the modules
        TaskStore tasks = JsonFileTaskStore.loadingInBackground(config.tasksDirectory());
        return Guice.createInjector(Stage.PRODUCTION,
                new ApplicationModule(config),
                new PersistenceModule(config, tasks),
                new ProcessModule(config),
                new LlmModule(config),
                new TelegramModule(config));
    }

    static String version() {
        String version = Octo.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }
}
