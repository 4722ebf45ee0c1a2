package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.CleanOutcome;
import dev.octo.application.port.in.CleanTasks;
import dev.octo.application.port.in.CleanTasksUseCase;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.DispatchTaskUseCase;
import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.RetryTaskUseCase;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.in.TaskQueries.Resolution;
import dev.octo.application.port.in.TaskView;
import dev.octo.application.port.out.OutputChunk;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.SupervisorUnavailableException;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskStatus;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Turns one line of user text into a use-case call and a {@link Reply}. The terminal and Telegram
 * both call it, so a command behaves the same on both. It never throws on bad input: a malformed
 * command gets its usage line, an unknown or ambiguous id says so.
 */
public final class CommandInterpreter {

    private static final System.Logger LOG = System.getLogger(CommandInterpreter.class.getName());

    /** Longer input is refused: a shell argument cannot exceed 128 KiB on Linux anyway. */
    public static final int MAX_INPUT_LENGTH = 100_000;
    static final int SHOW_OUTPUT_LINES = 20;
    static final int LOG_OUTPUT_LINES = 100;
    /** At most this much of a result, an error or an output tail is shown; the logs hold the rest. */
    static final int SHOW_MAX_CHARS = 4_000;
    static final int LOG_MAX_CHARS = 16_000;
    /** How often {@code /task <id> log -f} looks for new output. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(200);
    /** What {@code log -f} reads of each stream to show before it follows, and at most per look. */
    static final int FOLLOW_BACKLOG_BYTES = 16 * 1024;
    static final int FOLLOW_CHUNK_BYTES = 64 * 1024;
    static final long MAX_TIMEOUT_SECONDS = Duration.ofDays(365).toSeconds();
    /** How often {@code /wait <id>} looks whether its task paused; only a final task wakes it. */
    private static final Duration PAUSE_CHECK = Duration.ofMillis(200);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    static final String BG_USAGE = "Usage: /bg [--timeout S] [--] <command>";
    static final String LOG_USAGE = "Usage: /task <id> log [-f]";
    static final String FOLLOW_NEEDS_A_TERMINAL =
            "(Following the output as it comes works in the terminal; this is the output so far.)";
    static final String TASK_USAGE = "Usage: /task <id> [cancel | resume <answer> | log [-f] | retry | followup <instruction>]";
    static final String TASKS_USAGE = "Usage: /tasks [" + Arrays.stream(TaskStatus.values())
            .map(TaskStatus::label).collect(Collectors.joining(" | ")) + "]";
    static final String WAIT_USAGE = "Usage: /wait [id]";
    static final String CLEAN_USAGE = "Usage: /clean [" + Arrays.stream(TaskStatus.values())
            .filter(TaskStatus::isFinal).map(TaskStatus::label).collect(Collectors.joining(" | "))
            + "] [--older-than DAYS]";
    /** The most days {@code /clean --older-than} takes: a century is surely every task. */
    static final int MAX_CLEAN_DAYS = 36_500;
    public static final String HELP = String.join("\n",
            "Commands:",
            "  /bg [--timeout S] [--] <command>     run a shell command in the background",
            "  /tasks [status]                      list tasks, newest first",
            "  /task <id>                           show one task: status, times, result, output tail",
            "  /task <id> cancel                    cancel a waiting, running or paused task",
            "  /task <id> resume <answer>           answer a paused agent task",
            "  /task <id> log [-f]                  the task's output (last " + LOG_OUTPUT_LINES + " lines; -f follows it)",
            "  /task <id> retry                     run a finished task again as a new task",
            "  /task <id> followup <instruction>    new agent task that goes on from this one",
            "  /wait [id]                           wait until that task (or every task) is done",
            "  /clean [status] [--older-than DAYS]  remove finished tasks and their files",
            "  /help                                this text",
            "  /exit, /quit                         leave",
            "Any other text goes to the supervisor. Task ids may be shortened to a unique prefix.");

    private final DispatchTaskUseCase dispatch;
    private final CancelTaskUseCase cancel;
    private final ResumeTaskUseCase resume;
    private final RetryTaskUseCase retry;
    private final FollowUpTaskUseCase followUp;
    private final CleanTasksUseCase clean;
    private final TaskQueries queries;
    private final SupervisorChat supervisor;
    private final Clock clock;

    public CommandInterpreter(DispatchTaskUseCase dispatch, CancelTaskUseCase cancel, ResumeTaskUseCase resume,
            RetryTaskUseCase retry, FollowUpTaskUseCase followUp, CleanTasksUseCase clean, TaskQueries queries,
            SupervisorChat supervisor, Clock clock) {
        this.dispatch = requireNonNull(dispatch, "dispatch is null");
        this.cancel = requireNonNull(cancel, "cancel is null");
        this.resume = requireNonNull(resume, "resume is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.followUp = requireNonNull(followUp, "followUp is null");
        this.clean = requireNonNull(clean, "clean is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A {@link CommandInterpreter} over one {@link TaskEngine}, which serves every use case. */
    public static CommandInterpreter over(TaskEngine engine, SupervisorChat chat, Clock clock) {
        return new CommandInterpreter(engine, engine, engine, engine, engine, engine, engine, chat, clock);
    }

    /**
     * Answers one line typed on {@code channel} ("cli", "telegram:42"). {@code /wait} blocks until
     * the tasks it waits for are done. With no way to show text before the reply,
     * {@code /task <id> log -f} answers with the output so far and says that following needs the
     * terminal.
     */
    public Reply handle(String channel, String line) {
        return answer(channel, line, Optional.empty());
    }

    /**
     * Answers one line as {@link #handle(String, String)} does; a command that shows text as it goes
     * ({@code /task <id> log -f}, which follows a task's output until the task ends or the thread is
     * interrupted) hands that text to {@code progress}, some whole lines at a time, before it returns
     * its reply.
     */
    public Reply handle(String channel, String line, Consumer<String> progress) {
        return answer(channel, line, Optional.of(requireNonNull(progress, "progress is null")));
    }

    private Reply answer(String channel, String line, Optional<Consumer<String>> progress) {
        requireNonNull(channel, "channel is null");
        String input = clean(line == null ? "" : line);
        if (input.isEmpty()) {
            return Reply.of("Type a command, or /help to list them.");
        }
        if (input.length() > MAX_INPUT_LENGTH) {
            return Reply.error("That input is " + input.length() + " characters long; at most "
                    + MAX_INPUT_LENGTH + " are accepted.");
        }
        try {
            if (!input.startsWith("/")) {
                return chat(channel, input);
            }
            String name = firstWord(input);
            String rest = input.substring(name.length()).strip();
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "/bg" -> background(rest);
                case "/tasks" -> tasks(rest);
                case "/task" -> task(channel, rest, progress);
                case "/wait" -> await(rest);
                case "/clean" -> cleanTasks(rest);
                case "/help", "/start" -> Reply.of(HELP);
                case "/exit", "/quit" -> leave(name.toLowerCase(Locale.ROOT), rest);
                default -> Reply.error("Unknown command " + abbreviate(name, 40) + ". /help lists the commands.");
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error("Stopped waiting.");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "command failed: " + abbreviate(input, 200), e);
            return Reply.error("Something went wrong: " + e.getMessage() + " (details in the log)");
        }
    }

    private Reply chat(String channel, String message) {
        try {
            return Reply.of(supervisor.reply(channel, message));
        } catch (SupervisorUnavailableException e) {
            // not a failure: no LLM is configured, and the message says what to set
            return Reply.error(e.getMessage());
        }
    }

    private Reply background(String rest) {
        Optional<Duration> timeout = Optional.empty();
        String command = rest;
        // options come first; the first word that is not one starts the command, and "--" ends them
        while (!command.isEmpty()) {
            String option = firstWord(command);
            String afterOption = command.substring(option.length()).strip();
            if (option.equals("--")) {
                command = afterOption;
                break;
            }
            if (!option.startsWith("-")) {
                break;
            }
            String value;
            if (option.equals("--timeout")) {
                value = firstWord(afterOption);
                command = afterOption.substring(value.length()).strip();
            } else if (option.startsWith("--timeout=")) {
                value = option.substring("--timeout=".length());
                command = afterOption;
            } else {
                return Reply.error("'" + abbreviate(option, 40) + "' is not an option of /bg. A command that starts"
                        + " with '-' goes after '--': /bg -- " + abbreviate(option, 40) + " ... " + BG_USAGE);
            }
            if (timeout.isPresent()) {
                return Reply.error("--timeout is given twice. " + BG_USAGE);
            }
            Optional<String> refusal = timeoutRefusal(value);
            if (refusal.isPresent()) {
                return Reply.error(refusal.get() + " " + BG_USAGE);
            }
            timeout = Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        if (command.isEmpty()) {
            return Reply.error(BG_USAGE);
        }
        return outcome(dispatch.dispatch(DispatchTask.Process.of(command, timeout)));
    }

    /** Why {@code value} is no timeout: not a number, not whole, or out of range; empty when it is one. */
    private static Optional<String> timeoutRefusal(String value) {
        String shown = "'" + abbreviate(value, 40) + "'";
        // ASCII digits only: \d matches no other script's digits, which parseLong would take
        if (!value.matches("[+-]?\\d+")) {
            return Optional.of(value.matches("[+-]?(\\d+\\.\\d*|\\.\\d+)")
                    ? "The timeout must be a whole number of seconds, not " + shown + "."
                    : "The timeout must be a number of seconds, not " + shown + ".");
        }
        BigInteger seconds = new BigInteger(value);
        if (seconds.signum() <= 0 || seconds.compareTo(BigInteger.valueOf(MAX_TIMEOUT_SECONDS)) > 0) {
            return Optional.of("The timeout must be from 1 to " + MAX_TIMEOUT_SECONDS + " seconds (365 days), not "
                    + shown + ".");
        }
        return Optional.empty();
    }

    private Reply tasks(String rest) {
        Optional<TaskStatus> status = Optional.empty();
        if (!rest.isEmpty()) {
            // the table shows a dispatched task as waiting: that word lists them too
            status = rest.equalsIgnoreCase(TaskView.WAITING) ? Optional.of(TaskStatus.DISPATCHED) : TaskStatus.parse(rest);
            if (status.isEmpty() && !rest.equalsIgnoreCase("all")) {
                return Reply.error("Unknown status '" + abbreviate(rest, 40) + "'. " + TASKS_USAGE);
            }
        }
        List<Task> tasks = queries.list(status);
        Instant now = clock.instant();
        List<TaskView> rows = tasks.stream().map(task -> TaskView.of(task, now)).toList();
        if (rows.isEmpty()) {
            return Reply.table(status.map(s -> "No " + s.label() + " tasks.").orElse("No tasks yet. /bg <command> starts one."), rows);
        }
        return Reply.table(table(rows), rows);
    }

    private Reply task(String channel, String rest, Optional<Consumer<String>> progress) throws InterruptedException {
        if (rest.isEmpty()) {
            return Reply.error(TASK_USAGE);
        }
        String idText = firstWord(rest);
        String afterId = rest.substring(idText.length()).strip();
        String sub = firstWord(afterId);
        String argument = afterId.substring(sub.length()).strip();
        Resolution resolution = queries.resolve(idText);
        Task task;
        switch (resolution) {
            case Resolution.NotFound notFound -> {
                return Reply.error("No task matches '" + abbreviate(idText, 40) + "'. /tasks lists them.");
            }
            case Resolution.Ambiguous ambiguous -> {
                return ambiguous(ambiguous);
            }
            case Resolution.Found found -> task = found.task();
        }
        return switch (sub.toLowerCase(Locale.ROOT)) {
            case "" -> Reply.of(describe(task, queries.outputTail(task.id(), SHOW_OUTPUT_LINES)));
            case "cancel" -> argument.isEmpty() ? outcome(cancel.cancel(task.id(), channel))
                    : Reply.error("Usage: /task <id> cancel");
            case "resume", "answer" -> argument.isEmpty()
                    ? Reply.error("Usage: /task <id> resume <answer>")
                    : outcome(resume.resume(task.id(), argument));
            case "log", "logs" -> log(task, argument, progress);
            case "retry" -> argument.isEmpty() ? outcome(retry.retry(task.id())) : Reply.error("Usage: /task <id> retry");
            case "followup", "follow-up" -> argument.isEmpty()
                    ? Reply.error("Usage: /task <id> followup <instruction>")
                    : outcome(followUp.followUp(task.id(), argument));
            default -> Reply.error("Unknown subcommand '" + abbreviate(sub, 40) + "'. " + TASK_USAGE);
        };
    }

    private Reply await(String rest) throws InterruptedException {
        Duration forever = Duration.ofDays(365);
        if (rest.isEmpty()) {
            queries.awaitAllSettled(forever);
            // the tasks of this run: a script that waits for its own work is not told of every
            // task ever stored
            List<Task> all = queries.listSinceStart();
            Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
            all.forEach(task -> counts.merge(task.status(), 1L, Long::sum));
            if (all.isEmpty()) {
                return Reply.of("No tasks to wait for.");
            }
            String tally = counts.entrySet().stream()
                    .map(entry -> entry.getValue() + " " + entry.getKey().label())
                    .collect(Collectors.joining(", "));
            List<Task> paused = all.stream().filter(task -> task.status() == TaskStatus.PAUSED).toList();
            String pausedNote = paused.isEmpty() ? ""
                    : "\nWaiting for an answer: " + paused.stream().map(t -> t.id().value())
                            .collect(Collectors.joining(", ")) + " (/task <id> resume <answer>)";
            return Reply.of("All tasks are done: " + tally + "." + pausedNote);
        }
        if (rest.contains(" ")) {
            return Reply.error(WAIT_USAGE);
        }
        return switch (queries.resolve(rest)) {
            case Resolution.NotFound notFound -> Reply.error("No task matches '" + abbreviate(rest, 40) + "'.");
            case Resolution.Ambiguous ambiguous -> ambiguous(ambiguous);
            case Resolution.Found found -> {
                Task done = awaitFinalOrPaused(found.task());
                if (done.status() == TaskStatus.PAUSED) {
                    yield Reply.of(headline(done) + "\nQuestion: " + done.question().orElse("")
                            + "\nAnswer with: /task " + done.id() + " resume <answer>");
                }
                yield Reply.of(headline(done) + outcomeLine(done));
            }
        };
    }

    /**
     * {@code /exit} or {@code /quit}: a {@link Reply#leave} for the front end to act on; with words
     * after it, a usage error, so that {@code /exit now} neither leaves nor passes for unknown.
     */
    private static Reply leave(String command, String rest) {
        if (!rest.isEmpty()) {
            return Reply.error("Usage: " + command + " (it takes no arguments)");
        }
        return Reply.leave("Bye.");
    }

    private Reply cleanTasks(String rest) {
        Optional<TaskStatus> status = Optional.empty();
        Optional<Duration> olderThan = Optional.empty();
        List<String> words = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.startsWith("--")) {
                String days;
                if (word.equals("--older-than")) {
                    if (i + 1 == words.size()) {
                        return Reply.error("--older-than needs a number of days. " + CLEAN_USAGE);
                    }
                    days = words.get(++i);
                } else if (word.startsWith("--older-than=")) {
                    days = word.substring("--older-than=".length());
                } else {
                    return Reply.error("Unknown option '" + abbreviate(word, 40) + "'. " + CLEAN_USAGE);
                }
                if (olderThan.isPresent()) {
                    return Reply.error("--older-than is given twice. " + CLEAN_USAGE);
                }
                Optional<Integer> whole = parseWholeNumber(days, MAX_CLEAN_DAYS);
                if (whole.isEmpty()) {
                    return Reply.error("DAYS is a whole number from 0 to " + MAX_CLEAN_DAYS + ", not '"
                            + abbreviate(days, 40) + "'. " + CLEAN_USAGE);
                }
                olderThan = Optional.of(Duration.ofDays(whole.get()));
            } else {
                if (status.isPresent()) {
                    return Reply.error(CLEAN_USAGE);
                }
                status = TaskStatus.parse(word);
                if (status.isEmpty()) {
                    return Reply.error("Unknown status '" + abbreviate(word, 40) + "'. " + CLEAN_USAGE);
                }
            }
        }
        return switch (clean.clean(new CleanTasks(status, olderThan))) {
            case CleanOutcome.Rejected rejected -> Reply.error(rejected.message());
            case CleanOutcome.Cleaned cleaned -> {
                int count = cleaned.removed().size();
                StringBuilder text = new StringBuilder(count == 0 ? "Nothing to clean."
                        : "Removed " + count + " finished task" + (count == 1 ? "" : "s") + ".");
                int stopping = cleaned.stillStopping().size();
                if (stopping > 0) {
                    text.append(' ').append(stopping).append(stopping == 1 ? " finished task is" : " finished tasks are")
                            .append(" still stopping; /clean again in a moment removes ")
                            .append(stopping == 1 ? "it." : "them.");
                }
                cleaned.problems().forEach(problem -> text.append('\n').append(problem));
                yield cleaned.problems().isEmpty() ? Reply.of(text.toString()) : Reply.error(text.toString());
            }
        };
    }

    /**
     * Waits until {@code task} is final or PAUSED. A paused task waits on a person, who may be the
     * one waiting here: like {@code /wait} for every task, this does not hold them up.
     */
    private Task awaitFinalOrPaused(Task task) throws InterruptedException {
        Task current = task;
        while (!current.isFinal() && current.status() != TaskStatus.PAUSED) {
            Optional<Task> now = queries.awaitFinal(current.id(), PAUSE_CHECK);
            if (now.isEmpty()) {
                return current;
            }
            current = now.get();
        }
        return current;
    }

    /** The refusal of a prefix that names several tasks, with the first ten of them. */
    private static Reply ambiguous(Resolution.Ambiguous ambiguous) {
        return Reply.error("'" + ambiguous.prefix() + "' matches " + ambiguous.candidates().size()
                + " tasks: " + ambiguous.candidates().stream().limit(10).map(Object::toString)
                .collect(Collectors.joining(", "))
                + (ambiguous.candidates().size() > 10 ? ", ..." : "") + ". Type more of the id.");
    }

    private Reply log(Task task, String argument, Optional<Consumer<String>> progress) {
        if (argument.isEmpty()) {
            return Reply.of(logText(task));
        }
        if (!argument.equals("-f")) {
            return Reply.error(LOG_USAGE);
        }
        if (task.kind() != TaskKind.PROCESS) {
            return Reply.error("Task " + task.id() + " is an " + task.kind().label()
                    + " task: only the output of a process task can be followed.");
        }
        if (task.isFinal()) {
            return Reply.of(logText(task) + "\n" + endLine(task));
        }
        if (progress.isEmpty()) {
            return Reply.of(logText(task) + "\n" + FOLLOW_NEEDS_A_TERMINAL);
        }
        return follow(task.id(), progress.get());
    }

    /** The end of the task's output, and where the whole of it is. */
    private String logText(Task task) {
        String tail = queries.outputTail(task.id(), LOG_OUTPUT_LINES);
        String text = tail.isBlank() ? "Task " + task.id() + " has no output yet."
                : endOf(tail, Integer.MAX_VALUE, LOG_MAX_CHARS, Optional.empty());
        return text + wholeLog(task.id());
    }

    /** A line that names the log files of task {@code id}, or nothing when it keeps none. */
    private String wholeLog(TaskId id) {
        List<Path> logs = queries.logFiles(id);
        return logs.isEmpty() ? "" : "\nWhole log: " + logs.stream().map(Path::toString)
                .collect(Collectors.joining(" and "));
    }

    /**
     * Shows task {@code id}'s output as it comes, through {@code progress}, until the task ends or
     * this thread is interrupted (Ctrl-C in the terminal). It looks every {@link #FOLLOW_POLL}, and
     * once more after the task ended, for what the command wrote last.
     */
    private Reply follow(TaskId id, Consumer<String> progress) {
        FollowedOutput output = new FollowedOutput();
        OutputChunk backlog = queries.outputSince(id, OutputChunk.Position.START, FOLLOW_BACKLOG_BYTES);
        String before = output.backlog(backlog, LOG_OUTPUT_LINES);
        progress.accept((before.isEmpty() ? "" : before + "\n") + "Following task " + id
                + " until it ends (Ctrl-C stops following; the task goes on)." + wholeLog(id));
        OutputChunk.Position at = backlog.end();
        try {
            while (true) {
                Optional<Task> now = queries.awaitFinal(id, FOLLOW_POLL);
                OutputChunk chunk = queries.outputSince(id, at, FOLLOW_CHUNK_BYTES);
                at = chunk.end();
                show(progress, output.add(chunk));
                if (now.isEmpty()) {
                    show(progress, output.flush());
                    return Reply.of("Task " + id + " is gone.");
                }
                if (now.get().isFinal()) {
                    show(progress, output.flush());
                    return Reply.of(endLine(now.get()));
                }
            }
        } catch (InterruptedException e) {
            show(progress, output.flush());
            Thread.currentThread().interrupt(); // the caller clears it once it has shown the reply
            return Reply.of("Stopped following task " + id + "; it goes on. /task " + id + " log -f follows it again.");
        }
    }

    private static void show(Consumer<String> progress, String text) {
        if (!text.isEmpty()) {
            progress.accept(text);
        }
    }

    /** How a followed task ended: its headline and, when it failed, why. */
    private String endLine(Task task) {
        return headline(task) + task.error().filter(error -> !error.isBlank())
                .map(error -> "\n" + abbreviate(firstLine(error), 200)).orElse("");
    }

    private Reply outcome(TaskOutcome outcome) {
        return switch (outcome) {
            case TaskOutcome.Done done -> Reply.of(done.message());
            case TaskOutcome.Rejected rejected -> Reply.error(rejected.message());
        };
    }

    // ---- text -----------------------------------------------------------------------------------

    private String describe(Task task, String outputTail) {
        List<Path> logs = queries.logFiles(task.id());
        StringBuilder text = new StringBuilder(headline(task)).append('\n');
        String what = switch (task.kind()) {
            case PROCESS -> "Command:  ";
            case AGENT -> "Prompt:   ";
        };
        text.append(what).append(task.spec().summary().strip()).append('\n');
        text.append("Created:  ").append(time(task.createdAt())).append('\n');
        task.startedAt().ifPresent(at -> text.append("Started:  ").append(time(at)).append('\n'));
        task.finishedAt().ifPresent(at -> text.append("Finished: ").append(time(at)).append('\n'));
        task.spec().timeout().applied().ifPresent(applied -> {
            text.append("Timeout:  ").append(applied.toSeconds()).append(" s");
            task.spec().timeout().requested().filter(asked -> !asked.equals(applied))
                    .ifPresent(asked -> text.append(" (asked ").append(asked.toSeconds()).append(" s)"));
            text.append('\n');
        });
        if (task.attempt() > 1 || task.parentId().isPresent()) {
            text.append("Attempt:  ").append(task.attempt());
            task.parentId().ifPresent(parent -> text.append(" (from task ").append(parent).append(')'));
            text.append('\n');
        }
        task.process().filter(process -> task.status() == TaskStatus.RUNNING)
                .ifPresent(process -> text.append("Pid:      ").append(process.pid()).append('\n'));
        queries.exitCode(task.id()).ifPresent(code -> text.append("Exit:     code ").append(code).append('\n'));
        if (!logs.isEmpty()) {
            text.append("Logs:     ").append(logs.stream().map(Path::toString)
                    .collect(Collectors.joining("\n          "))).append('\n');
        }
        task.question().filter(q -> task.status() == TaskStatus.PAUSED).ifPresent(question -> text
                .append("Question: ").append(question).append('\n')
                .append("Answer with: /task ").append(task.id()).append(" resume <answer>\n"));
        // a process task's result is the end of its stdout, and its error ends with the end of stderr
        Optional<Path> stdoutLog = logs.stream().findFirst();
        Optional<Path> stderrLog = logs.stream().skip(1).findFirst();
        task.result().filter(result -> !result.isBlank()).ifPresent(result -> text.append("Result:\n")
                .append(endOf(result, SHOW_OUTPUT_LINES, SHOW_MAX_CHARS, stdoutLog)).append('\n'));
        task.error().filter(error -> !error.isBlank()).ifPresent(error -> text.append("Error:\n")
                .append(reasonAndEndOf(error, stderrLog)).append('\n'));
        if (!task.isFinal() && !outputTail.isBlank()) {
            text.append("Output (last ").append(SHOW_OUTPUT_LINES).append(" lines):\n")
                    .append(endOf(outputTail, Integer.MAX_VALUE, SHOW_MAX_CHARS, Optional.empty()));
        }
        return text.toString().stripTrailing();
    }

    /**
     * The end of {@code text}, which a task produced: at most {@code maxLines} lines and
     * {@code maxChars} characters of it. A cut text starts with a line that says so and where the
     * whole of it is, when {@code whole} names a file.
     */
    static String endOf(String text, int maxLines, int maxChars, Optional<Path> whole) {
        String stripped = text.stripTrailing();
        int from = Math.max(0, stripped.length() - maxChars);
        int newlines = 0;
        // backwards from the end, and never further than the characters kept: a text may be huge
        for (int i = stripped.length() - 1; i >= from; i--) {
            if (stripped.charAt(i) == '\n' && ++newlines == maxLines) {
                from = i + 1;
                break;
            }
        }
        if (from == 0) {
            return stripped;
        }
        // never keep half of a surrogate pair (an emoji): a channel cannot send it
        if (from < stripped.length() && Character.isLowSurrogate(stripped.charAt(from))) {
            from++;
        }
        return "[… cut" + whole.map(file -> "; all of it is in " + file).orElse("") + "]\n" + stripped.substring(from);
    }

    /**
     * An error as {@link #endOf} shows text, but with its first line, the reason ("Exit code 2",
     * "Timed out after 60 s"), kept whatever the length of the rest.
     */
    private static String reasonAndEndOf(String error, Optional<Path> whole) {
        String stripped = error.strip();
        int newline = stripped.indexOf('\n');
        String reason = abbreviate(newline < 0 ? stripped : stripped.substring(0, newline), SHOW_MAX_CHARS);
        if (newline < 0) {
            return reason;
        }
        return reason + "\n" + endOf(stripped.substring(newline + 1), SHOW_OUTPUT_LINES, SHOW_MAX_CHARS, whole);
    }

    private String headline(Task task) {
        TaskView view = TaskView.of(task, clock.instant());
        return "Task " + task.id() + " · " + task.kind().label() + " · " + view.statusLabel() + " · " + view.time();
    }

    private static String outcomeLine(Task task) {
        return task.error().map(error -> "\n" + firstLine(error))
                .or(() -> task.result().filter(r -> !r.isBlank()).map(result -> "\n" + tail(result, 5)))
                .orElse("");
    }

    private String time(Instant instant) {
        return TIME.format(ZonedDateTime.ofInstant(instant, clock.getZone()));
    }

    static String table(List<TaskView> rows) {
        int timeWidth = Math.max(4, rows.stream().mapToInt(r -> r.time().length()).max().orElse(0));
        StringBuilder text = new StringBuilder(rows.size() * 100);
        row(text, timeWidth, "ID", "TYPE", "STATUS", "TIME", "WHAT");
        for (TaskView view : rows) {
            text.append('\n');
            row(text, timeWidth, view.id(), view.kind(), view.statusLabel(), view.time(), abbreviate(view.summary(), 60));
        }
        return text.toString();
    }

    private static void row(StringBuilder text, int timeWidth, String id, String kind, String status, String time,
            String what) {
        pad(text, id, 8).append("  ");
        pad(text, kind, 7).append("  ");
        pad(text, status, 10).append("  ");
        pad(text, time, timeWidth).append("  ");
        text.append(what);
        // no trailing blanks on a row whose last column is empty
        while (text.charAt(text.length() - 1) == ' ') {
            text.setLength(text.length() - 1);
        }
    }

    private static StringBuilder pad(StringBuilder text, String value, int width) {
        text.append(value);
        for (int i = value.length(); i < width; i++) {
            text.append(' ');
        }
        return text;
    }

    /** Drops control characters (a pasted escape sequence, a NUL) but keeps tabs and newlines. */
    private static String clean(String line) {
        StringBuilder out = new StringBuilder(line.length());
        line.codePoints()
                .filter(c -> c == '\t' || c == '\n' || !Character.isISOControl(c))
                .forEach(out::appendCodePoint);
        return out.toString().strip();
    }

    private static String firstWord(String text) {
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end);
    }

    private static Optional<Long> parsePositive(String text) {
        try {
            long value = Long.parseLong(text);
            return value > 0 && value <= Duration.ofDays(365).toSeconds() ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code text} as a whole number from 0 to {@code max}; empty when it is not one. */
    private static Optional<Integer> parseWholeNumber(String text, int max) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long value = Long.parseLong(text);
        return value <= max ? Optional.of((int) value) : Optional.empty();
    }

    static String abbreviate(String text, int max) {
        String flat = TaskView.oneLine(text);
        if (flat.length() <= max) {
            return flat;
        }
        int end = max - 1;
        // never keep half of a surrogate pair (an emoji): a channel cannot send it
        if (Character.isHighSurrogate(flat.charAt(end - 1))) {
            end--;
        }
        return flat.substring(0, end) + "…";
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** The last {@code lines} lines of {@code text}, and at most {@link #SHOW_MAX_CHARS} of it. */
    private static String tail(String text, int lines) {
        String stripped = text.stripTrailing();
        String end = endOf(stripped, lines, SHOW_MAX_CHARS, Optional.empty());
        // endOf marks a cut with a line of its own: here a plain ellipsis says it
        return end.equals(stripped) ? stripped : "…\n" + end.substring(end.indexOf('\n') + 1);
    }
}
