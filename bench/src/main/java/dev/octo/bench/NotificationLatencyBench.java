package dev.octo.bench;

import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.telegram.fake.FakeBotApi;
import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.adapters.telegram.fake.UserMessage;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time from a process task's end to its notification at the Bot API server: {@code octo
 * telegram} runs in a JVM of its own, talking through the real TelegramBots client to a fake Bot API
 * server in this JVM. An authorized user dispatches N tasks ({@code /bg sleep 1}) one after another,
 * a gap apart; the owner's chat gets only the notifications. A task's end is its {@code finishedAt},
 * the time its wrapper wrote the exit status; its notification's arrival is when the fake server
 * accepted the {@code sendMessage} of the owner's chat that names it. The gap (1,200 ms by default)
 * is longer than the bot's pacing of one message a second per chat, so no notification waits for
 * the one before it.
 *
 * <p>Run from the repository root: {@code bench/run NotificationLatencyBench [tasks] [gap ms]}.
 */
public final class NotificationLatencyBench {

    private static final String TOKEN = "123456:latency-bench";
    private static final long OWNER = 1001;
    private static final long SENDER = 1002;
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Pattern DISPATCHED = Pattern.compile("Dispatched task ([a-z0-9]{8})");
    private static final int WARM_UP = 3;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Duration gap = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 1_200);
        Path dir = Files.createTempDirectory("octo-latency");
        Process octo = null;
        try (FakeBotApi telegram = FakeBotApi.start(TOKEN)) {
            octo = startDaemon(dir, telegram);
            Process daemon = octo;
            await("the bot polling", () -> telegram.attempts("getUpdates") > 0, daemon);
            telegram.pushMessage(UserMessage.text(OWNER, "/authorize " + SENDER + " bench"));
            await("the authorization", () -> telegram.messagesTo(OWNER).stream()
                    .anyMatch(message -> message.text().contains("authorized")), daemon);

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < WARM_UP + n; i++) {
                long next = System.nanoTime() + gap.toNanos();
                ids.add(dispatch(telegram, daemon, "sleep 1"));
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            }
            await("every notification", () -> ids.stream().allMatch(id -> notification(telegram, id).isPresent()),
                    daemon);
            octo.destroy(); // SIGTERM: the daemon stops in order and leaves its files complete
            octo.waitFor(30, TimeUnit.SECONDS);

            JsonFileTaskStore store = new JsonFileTaskStore(dir.resolve(".octo/tasks"));
            List<Double> latencies = new ArrayList<>();
            for (String id : ids.subList(WARM_UP, ids.size())) {
                Task task = store.find(TaskId.of(id)).orElseThrow();
                Instant ended = task.finishedAt().orElseThrow();
                Instant told = notification(telegram, id).orElseThrow().receivedAt();
                latencies.add(Duration.between(ended, told).toNanos() / 1e6);
            }
            report(n, gap, latencies, telegram.messagesTo(OWNER).size() - 1);
        } catch (IllegalStateException stuck) {
            System.err.println("the daemon's stderr:\n" + Files.readString(dir.resolve("daemon.err")));
            throw stuck;
        } finally {
            if (octo != null && octo.isAlive()) {
                octo.destroyForcibly();
            }
            Bench.deleteTree(dir);
        }
    }

    private static Process startDaemon(Path dir, FakeBotApi telegram) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", absoluteClassPath(), "dev.octo.bootstrap.Octo", "telegram")
                .directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("daemon.err").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TELEGRAM_") || name.startsWith("OCTO_"));
        builder.environment().put("TELEGRAM_BOT_TOKEN", TOKEN);
        builder.environment().put("TELEGRAM_OWNER_ID", Long.toString(OWNER));
        builder.environment().put("TELEGRAM_API_URL", telegram.url());
        return builder.start();
    }

    /** This JVM's class path (bench/run gives relative entries) for a JVM started in another folder. */
    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry.endsWith("*")
                    ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath() + File.separator + "*"
                    : Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Sends {@code /bg command} as the authorized sender; returns the id of the task it dispatched. */
    private static String dispatch(FakeBotApi telegram, Process daemon, String command) throws Exception {
        int before = telegram.messagesTo(SENDER).size();
        telegram.pushMessage(UserMessage.text(SENDER, "/bg " + command));
        String[] id = new String[1];
        await("the reply to /bg", () -> {
            List<SentMessage> replies = telegram.messagesTo(SENDER);
            for (SentMessage reply : replies.subList(Math.min(before, replies.size()), replies.size())) {
                Matcher dispatched = DISPATCHED.matcher(reply.text());
                if (dispatched.find()) {
                    id[0] = dispatched.group(1);
                    return true;
                }
            }
            return false;
        }, daemon);
        return id[0];
    }

    /** The first message of the owner's chat that tells the task completed. */
    private static Optional<SentMessage> notification(FakeBotApi telegram, String id) {
        return telegram.messagesTo(OWNER).stream()
                .filter(message -> message.text().contains(id) && message.text().contains("completed"))
                .findFirst();
    }

    private static void await(String what, BooleanSupplier condition, Process daemon) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " (daemon " + (daemon.isAlive() ? "running" : "ended")
                        + ")");
            }
            Thread.sleep(5);
        }
    }

    private static void report(int n, Duration gap, List<Double> latencies, int ownerMessages) {
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        double p90 = sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1);
        double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf("java: %s (%s)%n", ProcessHandle.current().info().command().orElse("java"),
                Runtime.version());
        System.out.printf("%d tasks (after %d unmeasured), one dispatched every %d ms; the owner got %d messages"
                + " for the %d%n", n, WARM_UP, gap.toMillis(), ownerMessages, n + WARM_UP);
        System.out.printf("task end -> notification at the Bot API server: median %.1f ms, p90 %.1f ms, "
                + "worst %.1f ms, best %.1f ms, mean %.1f ms%n", median, p90, sorted.getLast(), sorted.getFirst(), mean);
    }
}
