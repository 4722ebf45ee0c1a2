package dev.octo.application.service;

import static dev.octo.application.port.in.TaskView.abbreviate;
import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.CleanTasksUseCase;
import dev.octo.application.port.in.CommandCatalogue;
import dev.octo.application.port.in.CommandCatalogue.Command;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.DispatchTaskUseCase;
import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.RetryTaskUseCase;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.in.TaskQueries.Resolution;
import dev.octo.application.port.in.TaskView;
import dev.octo.application.port.out.AgentTranscripts;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.SupervisorUnavailableException;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskStatus;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Turns one line of user text into a use-case call and a {@link Reply}. The terminal and Telegram
 * both call it, so a command behaves the same on both. It never throws on bad input: a malformed
 * command gets its usage line, an unknown or ambiguous id says so.
 */
public final class CommandInterpreter implements InterpretCommandUseCase {

    private static final System.Logger LOG = System.getLogger(CommandInterpreter.class.getName());

    /** Longer input is refused: a shell argument cannot exceed 128 KiB on Linux anyway. */
    public static final int MAX_INPUT_LENGTH = 100_000;
    static final int SHOW_OUTPUT_LINES = 20;
    static final int LOG_OUTPUT_LINES = CommandCatalogue.LOG_OUTPUT_LINES;
    /** At most this much of a result, an error or an output tail is shown; the logs hold the rest. */
    static final int SHOW_MAX_CHARS = 4_000;
    static final int LOG_MAX_CHARS = 16_000;
    /** How often {@code /task <id> log -f} looks for new output. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(200);
    /** What {@code log -f} reads of each stream to show before it follows, and at most per look. */
    static final int FOLLOW_BACKLOG_BYTES = 16 * 1024;
    static final int FOLLOW_CHUNK_BYTES = 64 * 1024;
    static final long MAX_TIMEOUT_SECONDS = Duration.ofDays(365).toSeconds();

    static final String BG_USAGE = Command.BG.usage();
    static final String AGENT_USAGE = Command.AGENT.usage();
    static final String LOG_USAGE = TaskSubcommand.LOG.usage();
    static final String FOLLOW_NEEDS_A_TERMINAL =
            "(Following the output as it comes works in the terminal; this is the output so far.)";
    static final String TASK_USAGE = CommandCatalogue.taskUsage();
    static final String TASKS_USAGE = "Usage: /tasks [" + CommandCatalogue.ALL + "] [" + Arrays.stream(TaskStatus.values())
            .map(TaskStatus::label).collect(Collectors.joining(" | ")) + "]";
    static final String WAIT_USAGE = Command.WAIT.usage();
    static final String CLEAN_USAGE = "Usage: /clean [" + Arrays.stream(TaskStatus.values())
            .filter(TaskStatus::isFinal).map(TaskStatus::label).collect(Collectors.joining(" | "))
            + "] [--older-than DAYS]";
    /** The most days {@code /clean --older-than} takes: a century is surely every task. */
    static final int MAX_CLEAN_DAYS = 36_500;
    public static final String HELP = CommandCatalogue.help();

    private final DispatchTaskUseCase dispatch;
    private final CancelTaskUseCase cancel;
    private final ResumeTaskUseCase resume;
    private final RetryTaskUseCase retry;
    private final FollowUpTaskUseCase followUp;
    private final CleanTasksUseCase clean;
    private final TaskQueries queries;
    private final AgentTranscripts transcripts;
    private final SupervisorChat supervisor;
    private final Clock clock;
    private final TaskDetailText text;
    private final TaskLogCommand logs;
    private final WaitCommand waiting;
    private final CleanCommand cleaning;

    public CommandInterpreter(DispatchTaskUseCase dispatch, CancelTaskUseCase cancel, ResumeTaskUseCase resume,
            RetryTaskUseCase retry, FollowUpTaskUseCase followUp, CleanTasksUseCase clean, TaskQueries queries,
            AgentTranscripts transcripts, SupervisorChat supervisor, Clock clock) {
        this.dispatch = requireNonNull(dispatch, "dispatch is null");
        this.cancel = requireNonNull(cancel, "cancel is null");
        this.resume = requireNonNull(resume, "resume is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.followUp = requireNonNull(followUp, "followUp is null");
        this.clean = requireNonNull(clean, "clean is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.transcripts = requireNonNull(transcripts, "transcripts is null");
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.text = new TaskDetailText(queries, clock);
        this.logs = new TaskLogCommand(queries, transcripts, text);
        this.waiting = new WaitCommand(queries, text);
        this.cleaning = new CleanCommand(clean);
    }

    /** A {@link CommandInterpreter} over one {@link TaskEngine}, which serves every use case. */
    public static CommandInterpreter over(TaskEngine engine, AgentTranscripts transcripts, SupervisorChat chat,
            Clock clock) {
        return new CommandInterpreter(engine, engine, engine, engine, engine, engine, engine, transcripts, chat, clock);
    }

    @Override
    public Reply handle(String channel, String line) {
        return answer(channel, line, Optional.empty(), WaitCommand.FOREVER);
    }

    @Override
    public Reply handle(String channel, String line, Consumer<String> progress) {
        return answer(channel, line, Optional.of(requireNonNull(progress, "progress is null")), WaitCommand.FOREVER);
    }

    @Override
    public Reply handle(String channel, String line, Duration longestWait) {
        requireNonNull(longestWait, "longestWait is null");
        return answer(channel, line, Optional.empty(), longestWait.isNegative() ? Duration.ZERO : longestWait);
    }

    private Reply answer(String channel, String line, Optional<Consumer<String>> progress, Duration longestWait) {
        requireNonNull(channel, "channel is null");
        String input = clean(line == null ? "" : line);
        if (input.isEmpty()) {
            return Reply.text("Type a command, or /help to list them.");
        }
        if (input.length() > MAX_INPUT_LENGTH) {
            return Reply.error("That input is " + input.length() + " characters long; at most "
                    + MAX_INPUT_LENGTH + " are accepted.");
        }
        try {
            if (!input.startsWith("/")) {
                return chat(channel, input, progress);
            }
            String name = firstWord(input);
            String rest = input.substring(name.length()).strip();
            Optional<Command> command = Command.named(name);
            if (command.isEmpty()) {
                return Reply.error("Unknown command " + abbreviate(name, 40) + ". /help lists the commands.");
            }
            return switch (command.get()) {
                case BG -> background(rest);
                case AGENT -> agent(rest);
                case TASKS -> tasks(rest);
                case TASK -> task(channel, rest, progress);
                case WAIT -> waiting.await(rest, longestWait);
                case CLEAN -> cleaning.clean(rest);
                case HELP -> Reply.text(HELP);
                case EXIT -> leave(name.toLowerCase(Locale.ROOT), rest);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error("Stopped waiting.");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "command failed: " + abbreviate(input, 200), e);
            return Reply.error("Something went wrong: " + e.getMessage() + " (details in the log)");
        }
    }

    /**
     * Free text, for the supervisor. With {@code progress}, its answer is shown as it is generated,
     * whole lines at a time, and the reply is what follows the last of them; an interrupt (Ctrl-C)
     * stops the answer where it is.
     */
    private Reply chat(String channel, String message, Optional<Consumer<String>> progress) {
        try {
            if (progress.isEmpty()) {
                return Reply.text(supervisor.reply(channel, message));
            }
            WholeLines lines = new WholeLines(progress.get());
            supervisor.reply(channel, message, lines::add);
            String rest = lines.rest();
            if (Thread.currentThread().isInterrupted()) {
                return Reply.text(rest.isEmpty() ? "(Stopped.)" : rest + "\n(Stopped.)");
            }
            return Reply.text(rest);
        } catch (SupervisorUnavailableException e) {
            // not a failure: no LLM is configured, and the message says what to set
            return Reply.error(e.getMessage());
        }
    }

    private Reply background(String rest) {
        DispatchLine parsed = DispatchLine.parse(rest, Command.BG);
        if (parsed.refusal().isPresent()) {
            return Reply.error(parsed.refusal().get());
        }
        return outcome(dispatch.dispatch(DispatchTask.Process.of(parsed.body(), parsed.timeout())));
    }

    private Reply agent(String rest) {
        DispatchLine parsed = DispatchLine.parse(rest, Command.AGENT);
        if (parsed.refusal().isPresent()) {
            return Reply.error(parsed.refusal().get());
        }
        return outcome(dispatch.dispatch(new DispatchTask.Agent(parsed.body(), parsed.name(), parsed.timeout(),
                Optional.empty())));
    }

    /**
     * {@code /tasks [all] [status]}, the two words in either order: the newest {@link
     * CommandCatalogue#TASKS_SHOWN} tasks (in that status), with the count of the older ones, or
     * with {@code all} every one.
     */
    private Reply tasks(String rest) {
        Optional<TaskStatus> status = Optional.empty();
        boolean all = false;
        for (String word : rest.isEmpty() ? new String[0] : rest.split("\\s+")) {
            if (word.equalsIgnoreCase(CommandCatalogue.ALL) && !all) {
                all = true;
                continue;
            }
            // the table shows a dispatched task as waiting: that word lists them too
            Optional<TaskStatus> named = word.equalsIgnoreCase(TaskView.WAITING) ? Optional.of(TaskStatus.DISPATCHED)
                    : TaskStatus.parse(word);
            if (named.isEmpty() || status.isPresent()) {
                return Reply.error((named.isEmpty() && !word.equalsIgnoreCase(CommandCatalogue.ALL)
                        ? "Unknown status '" + abbreviate(word, 40) + "'. " : "") + TASKS_USAGE);
            }
            status = named;
        }
        List<TaskEntry> tasks = queries.list(status);
        List<TaskEntry> shown = all ? tasks : tasks.subList(0, Math.min(CommandCatalogue.TASKS_SHOWN, tasks.size()));
        Instant now = clock.instant();
        List<TaskView> rows = new ArrayList<>(shown.size());
        for (TaskEntry task : shown) {
            rows.add(TaskView.of(task, now));
        }
        return new Reply.Tasks(rows, status, tasks.size() - shown.size());
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
        if (sub.isEmpty()) {
            return text.detail(task, queries.outputTail(task.id(), SHOW_OUTPUT_LINES));
        }
        Optional<TaskSubcommand> subcommand = TaskSubcommand.named(sub);
        if (subcommand.isEmpty()) {
            return Reply.error("Unknown subcommand '" + abbreviate(sub, 40) + "'. " + TASK_USAGE);
        }
        return switch (subcommand.get()) {
            case CANCEL -> argument.isEmpty() ? outcome(cancel.cancel(task.id(), channel))
                    : Reply.error(TaskSubcommand.CANCEL.usage());
            case RESUME -> argument.isEmpty()
                    ? Reply.error(TaskSubcommand.RESUME.usage())
                    : outcome(resume.resume(task.id(), argument));
            case LOG -> logs.log(task, argument, progress);
            case RETRY -> argument.isEmpty() ? outcome(retry.retry(task.id())) : Reply.error(TaskSubcommand.RETRY.usage());
            case FOLLOWUP -> argument.isEmpty()
                    ? Reply.error(TaskSubcommand.FOLLOWUP.usage())
                    : outcome(followUp.followUp(task.id(), argument));
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
        return new Reply.Leave("Bye.");
    }

    /** The refusal of a prefix that names several tasks, with the first ten of them. */
    static Reply ambiguous(Resolution.Ambiguous ambiguous) {
        return Reply.error("'" + ambiguous.prefix() + "' matches " + ambiguous.candidates().size()
                + " tasks: " + ambiguous.candidates().stream().limit(10).map(Object::toString)
                .collect(Collectors.joining(", "))
                + (ambiguous.candidates().size() > 10 ? ", ..." : "") + ". Type more of the id.");
    }

    private Reply outcome(TaskOutcome outcome) {
        return switch (outcome) {
            case TaskOutcome.Done done -> Reply.text(done.message());
            case TaskOutcome.Rejected rejected -> Reply.error(rejected.message());
        };
    }

    /** Drops control characters (a pasted escape sequence, a NUL) but keeps tabs and newlines. */
    private static String clean(String line) {
        StringBuilder out = new StringBuilder(line.length());
        line.codePoints()
                .filter(c -> c == '\t' || c == '\n' || !Character.isISOControl(c))
                .forEach(out::appendCodePoint);
        return out.toString().strip();
    }

    static String firstWord(String text) {
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end);
    }

    /** Pieces of text handed on as whole lines; what follows the last line break waits for more. */
    private static final class WholeLines {

        private final Consumer<String> out;
        private final StringBuilder pending = new StringBuilder();

        WholeLines(Consumer<String> out) {
            this.out = out;
        }

        /** Called one piece at a time, perhaps from another thread than {@link #rest}. */
        synchronized void add(String piece) {
            pending.append(piece);
            int end = pending.lastIndexOf("\n");
            if (end >= 0) {
                out.accept(pending.substring(0, end));
                pending.delete(0, end + 1);
            }
        }

        synchronized String rest() {
            return pending.toString();
        }
    }
}
