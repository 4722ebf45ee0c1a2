package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.DispatchTaskUseCase;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.in.TaskView;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskStatus;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The supervisor's tools. Each calls a use case of the application, so a task the supervisor
 * dispatches is the same as one from {@code /bg}. A call the model got wrong throws
 * {@link ToolError}, whose message goes back to the model so that it can correct the call.
 */
final class SupervisorTools {

    /** How much of a task's result or error one answer shows the model. */
    static final int MAX_RESULT_CHARS = 4_000;
    static final int MAX_LISTED = 30;
    private static final int OUTPUT_TAIL_LINES = 20;

    private final DispatchTaskUseCase dispatch;
    private final TaskQueries queries;
    private final CancelTaskUseCase cancel;
    private final Path workingDirectory;
    private final Clock clock;

    SupervisorTools(DispatchTaskUseCase dispatch, TaskQueries queries, CancelTaskUseCase cancel,
            Path workingDirectory, Clock clock) {
        this.dispatch = requireNonNull(dispatch, "dispatch is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.cancel = requireNonNull(cancel, "cancel is null");
        this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A call the model can correct; the message says what was wrong. */
    static final class ToolError extends RuntimeException {
        ToolError(String message) {
            super(message);
        }
    }

    @Tool(name = "dispatch_background", value = "Start background work that runs on its own: a shell command "
            + "(task_type process) or an LLM agent working on a prompt (task_type agent). Returns the new task's id "
            + "at once; Octo tells the person when the task ends.")
    String dispatchBackground(
            @P(name = "task_type", description = "process (run a shell command) or agent (an LLM agent)") String taskType,
            @P(name = "command", description = "for process: the command, run by /bin/sh -c", required = false)
            String command,
            @P(name = "prompt", description = "for agent: what the agent is to do", required = false) String prompt,
            @P(name = "agent_name", description = "for agent: which known agent; default when not given",
                    required = false) String agentName,
            @P(name = "cwd", description = "the folder to work in, absolute or relative to Octo's; Octo's when not given",
                    required = false) String cwd,
            @P(name = "timeout", description = "seconds after which the task is stopped; none when not given",
                    required = false) Long timeout,
            @P(name = "max_turns", description = "for agent: the most model turns it may take", required = false)
            Long maxTurns,
            @P(name = "max_tokens", description = "for agent: its token budget (input and output)", required = false)
            Long maxTokens) {
        String type = taskType == null ? "" : taskType.strip().toLowerCase(Locale.ROOT);
        Optional<Duration> limit = positive("timeout", timeout).map(Duration::ofSeconds);
        Optional<Path> folder = folder(cwd);
        DispatchTask request = switch (type) {
            case "process" -> {
                if (blank(command)) {
                    throw new ToolError("A process task needs 'command', the shell command to run.");
                }
                yield new DispatchTask.Process(command, limit, folder, Map.of());
            }
            case "agent" -> {
                if (blank(prompt)) {
                    throw new ToolError("An agent task needs 'prompt', what the agent is to do.");
                }
                // an unknown agent is refused by the use case, which names the known ones
                Optional<String> name = Optional.ofNullable(agentName).map(String::strip).filter(n -> !n.isEmpty());
                Optional<Integer> turns = positive("max_turns", maxTurns).map(n -> (int) Math.min(n, Integer.MAX_VALUE));
                yield new DispatchTask.Agent(prompt, name, limit, folder, turns, positive("max_tokens", maxTokens));
            }
            case "" -> throw new ToolError("'task_type' is required: process (a shell command) or agent (an LLM agent).");
            default -> throw new ToolError("Unknown task_type '" + taskType
                    + "': use process (a shell command) or agent (an LLM agent with a prompt).");
        };
        return switch (dispatch.dispatch(request)) {
            case TaskOutcome.Done done -> done.message() + "\nTask id: " + done.task().id() + " ("
                    + done.task().kind().label() + ")";
            case TaskOutcome.Rejected rejected -> throw new ToolError(rejected.message());
        };
    }

    @Tool(name = "list_background_tasks", value = "List background tasks, newest first: id, kind, status, time, "
            + "command or prompt.")
    String listBackgroundTasks(
            @P(name = "status", description = "only tasks in this status: dispatched (waiting), running, paused, "
                    + "resumed, completed, failed or cancelled; every task when not given", required = false)
            String status) {
        Optional<TaskStatus> wanted = Optional.empty();
        if (!blank(status)) {
            String label = status.strip().toLowerCase(Locale.ROOT);
            wanted = label.equals(TaskView.WAITING) ? Optional.of(TaskStatus.DISPATCHED) : TaskStatus.parse(label);
            if (wanted.isEmpty()) {
                throw new ToolError("Unknown status '" + status + "'. Statuses: " + Arrays.stream(TaskStatus.values())
                        .map(TaskStatus::label).collect(Collectors.joining(", ")) + ".");
            }
        }
        List<TaskEntry> tasks = queries.list(wanted);
        if (tasks.isEmpty()) {
            return wanted.map(s -> "No " + s.label() + " tasks.").orElse("No tasks.");
        }
        Instant now = clock.instant();
        StringBuilder text = new StringBuilder();
        for (TaskEntry task : tasks.subList(0, Math.min(MAX_LISTED, tasks.size()))) {
            TaskView view = TaskView.of(task, now);
            text.append(view.id()).append("  ").append(view.kind()).append("  ").append(view.statusLabel())
                    .append("  ").append(view.time()).append("  ").append(TaskView.abbreviate(view.summary(), 120))
                    .append('\n');
        }
        if (tasks.size() > MAX_LISTED) {
            text.append("... and ").append(tasks.size() - MAX_LISTED).append(" older tasks\n");
        }
        return text.toString().strip();
    }

    @Tool(name = "get_background_task", value = "One background task: status, times, command or prompt, "
            + "question, result or error, and the end of its output while it runs.")
    String getBackgroundTask(
            @P(name = "task_id", description = "the task's id, or a unique start of it") String taskId) {
        Task task = resolve(taskId);
        StringBuilder text = new StringBuilder();
        text.append("Task ").append(task.id()).append(" (").append(task.kind().label()).append("): ")
                .append(TaskView.of(task, clock.instant()).statusLabel()).append('\n');
        text.append(switch (task.kind()) {
            case PROCESS -> "Command: ";
            case AGENT -> "Prompt: ";
        }).append(task.spec().summary().strip()).append('\n');
        text.append("Created: ").append(task.createdAt()).append('\n');
        task.startedAt().ifPresent(at -> text.append("Started: ").append(at).append('\n'));
        task.finishedAt().ifPresent(at -> text.append("Finished: ").append(at).append('\n'));
        queries.exitCode(task.id()).ifPresent(code -> text.append("Exit code: ").append(code).append('\n'));
        task.question().filter(q -> task.status() == TaskStatus.PAUSED)
                .ifPresent(q -> text.append("Waiting for an answer to: ").append(q).append('\n'));
        task.result().filter(r -> !r.isBlank()).ifPresent(r -> text.append("Result:\n").append(cut(r)).append('\n'));
        task.error().filter(e -> !e.isBlank()).ifPresent(e -> text.append("Error:\n").append(cut(e)).append('\n'));
        if (!task.isFinal()) {
            String tail = queries.outputTail(task.id(), OUTPUT_TAIL_LINES);
            if (!tail.isBlank()) {
                text.append("Output (last lines):\n").append(cut(tail)).append('\n');
            }
        }
        return text.toString().strip();
    }

    @Tool(name = "cancel_background_task", value = "Cancel a background task that has not ended; a running "
            + "command is stopped with its whole process group. Only when the person asks for it.")
    String cancelBackgroundTask(
            @P(name = "task_id", description = "the task's id, or a unique start of it") String taskId,
            @ToolMemoryId String channel) {
        Task task = resolve(taskId);
        return switch (cancel.cancel(task.id(), channel)) {
            case TaskOutcome.Done done -> done.message();
            case TaskOutcome.Rejected rejected -> throw new ToolError(rejected.message());
        };
    }

    /**
     * The end of {@code text}, at most {@link #MAX_RESULT_CHARS} characters: the end of an output
     * says how it went.
     */
    static String cut(String text) {
        if (text.length() <= MAX_RESULT_CHARS) {
            return text;
        }
        int from = text.length() - MAX_RESULT_CHARS;
        if (Character.isLowSurrogate(text.charAt(from))) {
            from++;
        }
        return "[... " + from + " characters before]\n" + text.substring(from);
    }

    private Task resolve(String taskId) {
        if (blank(taskId)) {
            throw new ToolError("'task_id' is required.");
        }
        return switch (queries.resolve(taskId.strip())) {
            case TaskQueries.Resolution.Found found -> found.task();
            case TaskQueries.Resolution.NotFound notFound -> throw new ToolError("There is no task '" + taskId
                    + "'. list_background_tasks shows the tasks.");
            case TaskQueries.Resolution.Ambiguous ambiguous -> throw new ToolError("'" + taskId
                    + "' starts several task ids: " + ambiguous.candidates().stream().map(Object::toString)
                    .collect(Collectors.joining(", ")) + ". Give more of it.");
        };
    }

    private Optional<Path> folder(String cwd) {
        if (blank(cwd)) {
            return Optional.empty();
        }
        Path folder;
        try {
            folder = workingDirectory.resolve(cwd.strip()).normalize();
        } catch (InvalidPathException e) {
            throw new ToolError("'cwd' is not a valid path: " + cwd);
        }
        if (!Files.isDirectory(folder)) {
            throw new ToolError("'cwd' is not a folder: " + folder);
        }
        return Optional.of(folder);
    }

    private static Optional<Long> positive(String name, Long value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value <= 0) {
            throw new ToolError("'" + name + "' must be a positive number, not " + value + ".");
        }
        return Optional.of(value);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
