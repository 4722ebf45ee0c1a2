package dev.octo.bootstrap;

import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import dev.octo.adapters.cli.socket.SocketClient;
import java.util.HashMap;
import dev.octo.adapters.llm.fake.FakeLlmServer.Protocol;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.telegram.fake.FakeBotApi;
import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.adapters.telegram.fake.UserMessage;
import dev.octo.application.fakes.Eventually;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code octo telegram} in a JVM of its own, talking to a fake Bot API server on 127.0.0.1 with the
 * real TelegramBots client, and stopped with SIGTERM as a service manager stops it.
 */
class TelegramDaemonTest {

    private static final String TOKEN = "123456:daemon-test-token";
    private static final long OWNER = 42L;
    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** What a JVM that ran its shutdown hooks on SIGTERM exits with: 128 + 15. */
    private static final int SIGTERM_STATUS = 143;
    private static final Pattern DISPATCHED = Pattern.compile("Dispatched task ([a-z0-9]{8})");

    @TempDir
    Path workingDirectory;

    private final FakeBotApi telegram = FakeBotApi.start(TOKEN);

    @AfterEach
    void stopTheFakeAndTheTasksOfThisFolder() throws InterruptedException {
        telegram.close();
        String folder = workingDirectory.toString();
        try {
            Eventually.await(Duration.ofSeconds(10),
                    () -> Processes.withMarkerAndDescendants(folder).stream().noneMatch(Processes::isRunning));
        } catch (AssertionError stillRunning) {
            Processes.killAll(folder);
        }
    }

    private Map<String, String> environment(String token) {
        return Map.of("OCTO_DIR", workingDirectory.resolve(".octo").toString(),
                "TELEGRAM_BOT_TOKEN", token,
                "TELEGRAM_OWNER_ID", Long.toString(OWNER),
                "TELEGRAM_API_URL", telegram.url());
    }

    private static Map<String, String> withLlm(Map<String, String> environment, FakeLlmServer llm) {
        Map<String, String> both = new HashMap<>(environment);
        both.put("OCTO_LLM_PROVIDER", "openai");
        both.put("OPENAI_BASE_URL", llm.baseUrl());
        both.put("OPENAI_API_KEY", "test-key");
        return both;
    }

    private ChildOcto daemon() throws Exception {
        return ChildOcto.start(workingDirectory, environment(TOKEN), "telegram");
    }

    /** The task store, used only while no Octo runs: opening one tidies the folder. */
    private JsonFileTaskStore store() {
        return new JsonFileTaskStore(workingDirectory.resolve(".octo/tasks"));
    }

    /** A field of a task file as a running daemon last wrote it, read without touching the folder. */
    private Optional<String> onDisk(String id, String field) {
        try {
            Matcher value = Pattern.compile("\"" + field + "\" : \"([^\"]*)\"")
                    .matcher(Files.readString(workingDirectory.resolve(".octo/tasks/" + id + ".json")));
            return value.find() ? Optional.of(value.group(1)) : Optional.empty();
        } catch (IOException notThereYet) {
            return Optional.empty();
        }
    }

    /** The ids of the tasks on disk whose parent is {@code parent}. */
    private List<String> childrenOnDisk(String parent) {
        try (var files = Files.list(workingDirectory.resolve(".octo/tasks"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("[a-z0-9]{8}\\.json"))
                    .map(name -> name.substring(0, 8))
                    .filter(id -> onDisk(id, "parentId").equals(Optional.of(parent)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SentMessage awaitMessage(ChildOcto octo, String what, Predicate<SentMessage> matches) {
        Eventually.await(() -> what + "; the owner got " + texts() + "; " + octo.diagnostics(), LIMIT,
                () -> telegram.messagesTo(OWNER).stream().anyMatch(matches));
        return telegram.messagesTo(OWNER).stream().filter(matches).findFirst().orElseThrow();
    }

    private List<String> texts() {
        return telegram.messagesTo(OWNER).stream().map(SentMessage::text).toList();
    }

    /** Sends {@code /bg command} as the owner and returns the id of the task it dispatched. */
    private String bg(ChildOcto octo, String command) {
        int before = telegram.messagesTo(OWNER).size();
        telegram.pushMessage(UserMessage.text(OWNER, "/bg " + command));
        SentMessage reply = awaitMessage(octo, "the reply to /bg " + command, message ->
                telegram.messagesTo(OWNER).indexOf(message) >= before && DISPATCHED.matcher(message.text()).find());
        Matcher id = DISPATCHED.matcher(reply.text());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private static void stop(ChildOcto octo) throws InterruptedException {
        octo.terminate();
        assertThat(octo.awaitExit(LIMIT)).as(octo.diagnostics()).isEqualTo(SIGTERM_STATUS);
        assertThat(octo.stderr())
                .contains("octo: stopped; running process tasks go on and the next start adopts them")
                .doesNotContain("Exception");
    }

    @Test
    void theOwnersBgIsAnsweredAndItsCompletionReachesTheOwner() throws Exception {
        try (ChildOcto octo = daemon()) {
            String id = bg(octo, "echo hi");

            SentMessage done = awaitMessage(octo, "the completion of " + id,
                    message -> message.text().contains(id) && message.text().contains("completed"));
            assertThat(done.text()).contains("echo hi").contains("hi");
            assertThat(done.parseMode()).isEqualTo("HTML");
            assertThat(done.allButtons()).isNotEmpty();
            assertThat(octo.stderr()).startsWith("octo: the Telegram-only daemon runs");
            stop(octo);
        }
        assertThat(telegram.commands()).containsKey("bg");
    }

    @Test
    void sigtermStopsItCleanlyAndTheNextStartAdoptsTheProcessTaskLeftRunning() throws Exception {
        String id;
        try (ChildOcto first = daemon()) {
            id = bg(first, "touch started; sleep 4; echo survived");
            Eventually.await("the task started", LIMIT, () -> Files.exists(workingDirectory.resolve("started")));

            stop(first);
        }
        Task leftRunning = store().find(TaskId.of(id)).orElseThrow();
        assertThat(leftRunning.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(leftRunning.process()).hasValueSatisfying(process ->
                assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive)).contains(true));

        try (ChildOcto next = daemon()) {
            SentMessage done = awaitMessage(next, "the completion of the adopted " + id,
                    message -> message.text().contains(id) && message.text().contains("completed"));
            assertThat(done.text()).contains("survived");
            assertThat(onDisk(id, "status")).contains("completed");
            stop(next);
        }
        // told once, though two daemons ran while it did
        assertThat(texts()).filteredOn(text -> text.contains(id) && text.contains("completed")).hasSize(1);
    }

    @Test
    void aTaskLeftWaitingOnDiskIsRunByTheDaemonAndReported() throws Exception {
        TaskId id = TaskId.of("waiting1");
        store().save(Task.dispatch(id, ProcessSpec.of("echo from-the-queue", workingDirectory), Instant.now()));

        try (ChildOcto octo = daemon()) {
            awaitMessage(octo, "the completion of " + id,
                    message -> message.text().contains(id.value()) && message.text().contains("from-the-queue"));
            stop(octo);
        }
    }

    @Test
    void aTerminalAttachesToTheDaemonAndSeesWhatTelegramDispatched() throws Exception {
        try (ChildOcto octo = daemon()) {
            Path socket = workingDirectory.resolve(".octo/octo.sock");
            Eventually.await(() -> "the daemon's socket; " + octo.diagnostics(), LIMIT, () -> Files.exists(socket));
            try (SocketClient attached = SocketClient.connect(socket)) {
                String id = bg(octo, "sleep 1; echo from-the-phone");

                ServerMessage event;
                do {
                    event = attached.receive();
                } while (event != null && !(event.type().equals("event") && event.field("event").equals("completed")));
                assertThat(event).as(octo.diagnostics()).isNotNull();
                assertThat(event.field("id")).isEqualTo(id);

                attached.send("/tasks");
                ServerMessage reply;
                do {
                    reply = attached.receive();
                } while (reply != null && !reply.type().equals("reply"));
                assertThat(reply).isNotNull();
                assertThat(reply.text()).contains(id).contains("from-the-phone");
            }
            stop(octo);
        }
    }

    @Test
    void afterARestartAReplyToAFinishedTasksNotificationStartsAFollowUp() throws Exception {
        String id;
        SentMessage done;
        try (ChildOcto first = daemon()) {
            id = bg(first, "echo the first part");
            done = awaitMessage(first, "the completion of " + id,
                    message -> message.text().contains(id) && message.text().contains("completed"));
            stop(first);
        }

        // a follow-up is an agent task: it is made only where an LLM is configured
        try (FakeLlmServer llm = FakeLlmServer.start(Protocol.OPENAI)
                .answerToolCall("task_complete", "{\"summary\":\"the second part is done\"}");
                ChildOcto next = ChildOcto.start(workingDirectory, withLlm(environment(TOKEN), llm), "telegram")) {
            telegram.pushMessage(UserMessage.text(OWNER, "now the second part").replyingTo(done.messageId()));

            Eventually.await(() -> "a follow-up of " + id + "; the owner got " + texts() + "; " + next.diagnostics(),
                    LIMIT, () -> !childrenOnDisk(id).isEmpty());
            String followUp = childrenOnDisk(id).getFirst();
            awaitMessage(next, "the answer naming the follow-up " + followUp,
                    message -> message.text().contains(followUp));
            stop(next);
        }
        assertThat(store().find(TaskId.of(childrenOnDisk(id).getFirst())).orElseThrow().spec().toString())
                .contains("now the second part");
    }

    @Test
    void aRefusedTokenStopsTheBotWithOneLineWhileTheTasksGoOn() throws Exception {
        TaskId id = TaskId.of("goeson01");
        store().save(Task.dispatch(id, ProcessSpec.of("sleep 1; echo still-run", workingDirectory), Instant.now()));

        try (ChildOcto octo = ChildOcto.start(workingDirectory, environment("123456:not-the-token"), "telegram")) {
            Eventually.await(() -> "the line on the refused token; " + octo.diagnostics(), LIMIT,
                    () -> octo.stderr().contains("401"));
            Eventually.await(() -> "the task completed; " + octo.diagnostics(), LIMIT,
                    () -> onDisk(id.value(), "status").equals(Optional.of("completed")));

            assertThat(octo.ended()).isFalse();
            assertThat(octo.stderr().lines().filter(line -> line.contains("token")))
                    .containsExactly("octo: Telegram refused the bot token (401 Unauthorized): the Telegram bot is "
                            + "stopped; check TELEGRAM_BOT_TOKEN.");
            assertThat(Files.readString(workingDirectory.resolve(".octo/logs/octo.log")))
                    .contains("Telegram refused the bot token (401 Unauthorized)");
            assertThat(telegram.messagesTo(OWNER)).isEmpty();
            stop(octo);
        }
    }
}
