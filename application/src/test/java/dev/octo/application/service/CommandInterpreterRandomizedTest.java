package dev.octo.application.service;

import dev.octo.application.fakes.FakeAgentTranscripts;
import dev.octo.application.port.in.TaskNotice;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.complete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.MutableClock;
import dev.octo.application.fakes.NoSupervisorChat;
import dev.octo.application.fakes.RecordingNotifier;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.TestSeed;
import dev.octo.domain.TimeoutPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds the interpreter long runs of random lines made of command words, task ids and junk. Each
 * line must get a reply, never an exception. The lines come from {@link TestSeed}, which a failure
 * names.
 */
@ExtendWith(TestSeed.class)
class CommandInterpreterRandomizedTest {

    private static final int LINES = 2_000;

    private static final String[] COMMANDS = {"/bg", "/tasks", "/task", "/wait", "/help", "/start", "/BG", "/Task",
        "/nonsense", "/", "//bg", "/bg/", "bg", "/tasks/", "/clean", "/CLEAN", "/exit", "/quit"};
    private static final String[] SUBCOMMANDS = {"cancel", "resume", "answer", "log", "logs", "retry", "followup",
        "follow-up", "CANCEL", "bogus", ""};
    private static final String[] STATUSES = {"dispatched", "running", "paused", "resumed", "completed", "failed",
        "cancelled", "all", "RUNNING", "bogus"};
    private static final String[] OPTIONS = {"--timeout", "--timeout=5", "--timeout=", "--timeout=-1", "--timeout=abc",
        "--timeoutx", "5", "0", "-3", "1.5", "99999999999999999999", "31536000", "31536001"};
    private static final String[] CLEAN_OPTIONS = {"--older-than", "--older-than=2", "--older-than=",
        "--older-than=-1", "--older-than=99999999999", "--older", "--", "-f"};
    private static final String[] WORDS = {"echo", "hi", "sleep", "1", "claude", "-p", "\"write tests\"", "'a  b'",
        "&&", "|", ";", "$(rm -rf /)", "`x`", "\\", "\"", "'", "%s", "%n", "{}", "null", "<id>", "[status]"};
    private static final String[] SPACES = {" ", " ", " ", "  ", "\t", "\n", " \u00a0 ", "\r\n"};

    @TempDir
    Path workingDirectory;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void randomLinesAlwaysGetAReplyAndNeverAnException() throws Exception {
        Random random = new Random(TestSeed.value());

        InMemoryTaskStore store = new InMemoryTaskStore();
        FakeProcessRunner processes = new FakeProcessRunner().exitAtOnceWith(new ProcessExit(0, "ok", ""));
        ScriptedAgentRunner agents = new ScriptedAgentRunner().whenUnscripted(complete("done"));
        MutableClock clock = new MutableClock();
        SupervisorChat chat = (channel, message) -> "heard " + message.length() + " characters";
        try (TaskEngine engine = new TaskEngine(store, new SequentialTaskIds("r"), clock, processes,
                agents, new EngineSettings(2, workingDirectory, TimeoutPolicy.DEFAULT, EscalationPolicy.DEFAULT))) {
            RecordingNotifier notifier = new RecordingNotifier();
            engine.register(notifier);
            engine.start();
            List<CommandInterpreter> interpreters = List.of(
                    CommandInterpreter.over(engine, new FakeAgentTranscripts(), new NoSupervisorChat(), clock),
                    CommandInterpreter.over(engine, new FakeAgentTranscripts(), chat, clock));

            int errors = 0;
            for (int i = 0; i < LINES; i++) {
                String line = randomLine(random, store.list());
                CommandInterpreter interpreter = interpreters.get(random.nextInt(interpreters.size()));
                Reply reply;
                try {
                    reply = interpreter.handle(random.nextBoolean() ? "cli" : "telegram:" + random.nextInt(100), line);
                } catch (RuntimeException e) {
                    throw new AssertionError("line " + i + " threw: " + describe(line), e);
                }
                if (reply == null || reply.text() == null) {
                    fail("line " + i + " got no reply: " + describe(line));
                }
                // the interpreter's last resort: an exception it caught is a bug all the same
                if (reply.text().startsWith("Something went wrong")) {
                    fail("line " + i + " hit an internal error: " + describe(line)
                            + "\n" + reply.text());
                }
                if ((reply instanceof Reply.Error)) {
                    errors++;
                }
                if (i % 100 == 0) {
                    clock.advance(Duration.ofSeconds(random.nextInt(3600)));
                }
            }

            System.out.println("CommandInterpreterRandomizedTest: " + LINES + " lines, " + errors + " refused, "
                    + notifier.events(TaskNotice.Type.DISPATCHED).size() + " tasks made, "
                    + store.list().size() + " kept");
            // the run must have exercised both sides: accepted commands and refused ones
            assertThat(errors).isBetween(1, LINES - 1);
            // counted from the events: /clean may have removed the tasks themselves
            assertThat(notifier.events(TaskNotice.Type.DISPATCHED)).isNotEmpty();
            assertThat(engine.awaitAllSettled(Eventually.DEFAULT_LIMIT)).isTrue();
            assertThat(store.list()).allSatisfy(task -> assertThat(task.status())
                    .isIn(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.PAUSED));
        }
    }

    private static String randomLine(Random random, List<Task> tasks) {
        List<String> parts = new ArrayList<>();
        switch (random.nextInt(10)) {
            case 0 -> parts.add(junk(random, 1 + random.nextInt(30)));
            case 1 -> {
                // free text
                int words = random.nextInt(6);
                for (int i = 0; i < words; i++) {
                    parts.add(pick(random, WORDS));
                }
            }
            default -> {
                String command = pick(random, COMMANDS);
                parts.add(command);
                switch (command.toLowerCase(Locale.ROOT)) {
                    case "/bg" -> {
                        if (random.nextInt(3) == 0) {
                            parts.add(pick(random, OPTIONS));
                            if (random.nextBoolean()) {
                                parts.add(pick(random, OPTIONS));
                            }
                        }
                        int words = random.nextInt(5);
                        for (int i = 0; i < words; i++) {
                            parts.add(random.nextInt(8) == 0 ? junk(random, 5) : pick(random, WORDS));
                        }
                    }
                    case "/tasks" -> {
                        if (random.nextBoolean()) {
                            parts.add(random.nextInt(4) == 0 ? junk(random, 4) : pick(random, STATUSES));
                        }
                    }
                    case "/clean" -> {
                        if (random.nextBoolean()) {
                            parts.add(random.nextInt(4) == 0 ? junk(random, 4) : pick(random, STATUSES));
                        }
                        if (random.nextBoolean()) {
                            parts.add(pick(random, CLEAN_OPTIONS));
                            if (random.nextBoolean()) {
                                parts.add(pick(random, OPTIONS));
                            }
                        }
                    }
                    case "/task", "/wait" -> {
                        if (random.nextInt(8) != 0) {
                            parts.add(idLike(random, tasks));
                        }
                        if (command.equalsIgnoreCase("/task") && random.nextInt(4) != 0) {
                            parts.add(pick(random, SUBCOMMANDS));
                            int words = random.nextInt(4);
                            for (int i = 0; i < words; i++) {
                                parts.add(random.nextInt(5) == 0 ? junk(random, 6) : pick(random, WORDS));
                            }
                        } else if (random.nextInt(10) == 0) {
                            parts.add(idLike(random, tasks));
                        }
                    }
                    default -> {
                        if (random.nextInt(3) == 0) {
                            parts.add(junk(random, 8));
                        }
                    }
                }
            }
        }
        StringBuilder line = new StringBuilder();
        if (random.nextInt(10) == 0) {
            line.append(pick(random, SPACES));
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                line.append(pick(random, SPACES));
            }
            line.append(parts.get(i));
        }
        if (random.nextInt(200) == 0) {
            line.append("x".repeat(CommandInterpreter.MAX_INPUT_LENGTH));
        }
        return line.toString();
    }

    /** A whole id, a prefix, an upper-case id, a made-up id or junk. */
    private static String idLike(Random random, List<Task> tasks) {
        if (tasks.isEmpty() || random.nextInt(5) == 0) {
            return switch (random.nextInt(4)) {
                case 0 -> "zzzzzzzz";
                case 1 -> "r";
                case 2 -> "r0000000000";
                default -> junk(random, 1 + random.nextInt(9));
            };
        }
        String id = tasks.get(random.nextInt(tasks.size())).id().value();
        return switch (random.nextInt(4)) {
            case 0 -> id.substring(0, 1 + random.nextInt(TaskId.LENGTH));
            case 1 -> id.toUpperCase(Locale.ROOT);
            default -> id;
        };
    }

    /** Printable and unprintable characters from all over Unicode, lone surrogates included. */
    private static String junk(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(6);
            int codePoint = switch (kind) {
                case 0 -> random.nextInt(0x20);                       // control characters
                case 1 -> 0x20 + random.nextInt(0x5f);                // ASCII
                case 2 -> 0x80 + random.nextInt(0x780);               // Latin, Greek, Cyrillic, ...
                case 3 -> 0x4e00 + random.nextInt(0x5000);            // CJK
                case 4 -> 0x1f300 + random.nextInt(0x300);            // emoji
                default -> 0xd800 + random.nextInt(0x800);            // a lone surrogate
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String describe(String line) {
        String shown = line.length() > 300 ? line.substring(0, 300) + "... (" + line.length() + " characters)" : line;
        StringBuilder escaped = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (c < 0x20 || (c >= 0xd800 && c < 0xe000)) {
                escaped.append(String.format("\\u%04x", c));
            } else {
                escaped.appendCodePoint(c);
            }
        });
        return escaped.toString();
    }
}
