package dev.octo.bench;

import dev.octo.adapters.llm.FakeServerModels;
import dev.octo.adapters.llm.KnownAgent;
import dev.octo.adapters.llm.LangChain4jSupervisorChat;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.persistence.JsonFileSupervisorConversationStore;
import dev.octo.application.service.TaskEngine;
import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's first answer after start: the time Octo adds on top of the model's. The model is
 * the fake LLM server, which answers at once, so all the time measured is Octo's and its client
 * library's: building the engine, the store and the supervisor, loading the classes of LangChain4j and
 * its HTTP client, the first connection, the request, the answer's parsing and the conversation's
 * save. Each run is a new JVM (a child of this one, on the same class path), so that the first answer
 * is really the first; the child then times {@code warm} more answers in the same conversation. The
 * runs are made twice: as is, then with the supervisor prepared ({@link LangChain4jSupervisorChat#prepare})
 * before the first answer, as Octo does on a background thread at start.
 *
 * <p>Run from the repository root: {@code bench/run SupervisorBench [runs] [warm]}.
 */
public final class SupervisorBench {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String ONCE = "--once";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(ONCE)) {
            once(args[1], Integer.parseInt(args[2]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        System.out.printf("java: %s (%s)%n%d new JVMs, each: the first answer, then %d more%n%n", JAVA,
                Runtime.version(), runs, warm);
        try (FakeLlmServer server = FakeLlmServer.start(FakeLlmServer.Protocol.OPENAI)) {
            for (boolean prepare : new boolean[] {false, true}) {
                String label = prepare ? "prepared" : "as is";
                System.out.println(prepare
                        ? "prepared: the supervisor's prepare() (what Octo runs on a background thread at start) is part of the wiring"
                        : "as is: nothing prepared before the first answer");
                List<double[]> results = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    for (int i = 0; i <= warm; i++) {
                        server.answerText("Nothing runs at the moment; ask me to start something.");
                    }
                    double[] result = child(server.baseUrl(), warm, prepare);
                    results.add(result);
                    System.out.printf("  run %d: JVM start to main %4.0f ms | wiring %4.0f ms | first answer %6.1f ms"
                            + " | later answers: median %5.2f ms, max %6.2f ms%n", run + 1, result[0], result[1],
                            result[2], result[3], result[4]);
                }
                System.out.printf("  %s, median over %d runs: wiring %.0f ms, first answer %.1f ms, a later answer %.2f ms%n%n",
                        label, runs, median(results, 1), median(results, 2), median(results, 3));
            }
        }
    }

    /** Runs {@link #once} in a new JVM and reads back what it measured. */
    private static double[] child(String baseUrl, int warm, boolean prepare) throws Exception {
        Process process = new ProcessBuilder(JAVA, "-Dbench.prepare=" + prepare, "-cp", System.getProperty("java.class.path"),
                SupervisorBench.class.getName(), ONCE, baseUrl, Integer.toString(warm))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String last = null;
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                last = line;
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || last == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the measuring JVM failed (exit " + process.exitValue() + ")");
        }
        return Arrays.stream(last.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /**
     * In a new JVM: wire an engine, the supervisor's store and the supervisor on a new folder, time
     * the first answer, then {@code warm} more; prints the figures on one line.
     */
    private static void once(String baseUrl, int warm) throws Exception {
        double toMain = ManagementFactory.getRuntimeMXBean().getUptime();
        long start = System.nanoTime();
        Path dir = Files.createTempDirectory("octo-supervisor");
        try {
            Path octoDir = dir.resolve(".octo");
            try (TaskEngine engine = Bench.engine(octoDir, 2)) {
                engine.start();
                LangChain4jSupervisorChat chat = new LangChain4jSupervisorChat(
                        FakeServerModels.openAi(baseUrl),
                        new JsonFileSupervisorConversationStore(octoDir.resolve("supervisor")), engine, engine, engine,
                        () -> List.of(new KnownAgent("default", "a general agent")), dir, Clock.systemDefaultZone(),
                        LangChain4jSupervisorChat.Limits.DEFAULT);
                if (Boolean.getBoolean("bench.prepare")) {
                    chat.prepare();
                }
                long wired = System.nanoTime();
                chat.reply("cli", "what runs now?");
                long first = System.nanoTime();
                double[] later = new double[warm];
                for (int i = 0; i < warm; i++) {
                    long before = System.nanoTime();
                    chat.reply("cli", "and now?");
                    later[i] = (System.nanoTime() - before) / 1e6;
                }
                Arrays.sort(later);
                System.out.printf("%.1f %.1f %.2f %.3f %.3f%n", toMain, (wired - start) / 1e6, (first - wired) / 1e6,
                        warm == 0 ? 0 : later[warm / 2], warm == 0 ? 0 : later[warm - 1]);
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }

    private static double median(List<double[]> results, int column) {
        double[] values = results.stream().mapToDouble(result -> result[column]).sorted().toArray();
        return values[values.length / 2];
    }
}
