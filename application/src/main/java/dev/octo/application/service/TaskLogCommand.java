package dev.octo.application.service;

import static dev.octo.application.service.CommandInterpreter.FOLLOW_BACKLOG_BYTES;
import static dev.octo.application.service.CommandInterpreter.FOLLOW_CHUNK_BYTES;
import static dev.octo.application.service.CommandInterpreter.FOLLOW_NEEDS_A_TERMINAL;
import static dev.octo.application.service.CommandInterpreter.FOLLOW_POLL;
import static dev.octo.application.service.CommandInterpreter.LOG_MAX_CHARS;
import static dev.octo.application.service.CommandInterpreter.LOG_OUTPUT_LINES;
import static dev.octo.application.service.CommandInterpreter.LOG_USAGE;
import static dev.octo.application.port.in.TaskView.oneLine;
import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.AgentTranscripts;
import dev.octo.application.port.out.OutputChunk;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code /task <id> log [-f]}: the end of a task's output, or, with {@code -f} on a front end that
 * can show text as it comes, the output followed until the task ends.
 */
final class TaskLogCommand {

    private final TaskQueries queries;
    private final AgentTranscripts transcripts;
    private final TaskDetailText text;

    TaskLogCommand(TaskQueries queries, AgentTranscripts transcripts, TaskDetailText text) {
        this.queries = requireNonNull(queries, "queries is null");
        this.transcripts = requireNonNull(transcripts, "transcripts is null");
        this.text = requireNonNull(text, "text is null");
    }

    Reply log(Task task, String argument, Optional<Consumer<String>> progress) {
        if (argument.isEmpty()) {
            return Reply.text(logText(task));
        }
        if (!argument.equals("-f")) {
            return Reply.error(LOG_USAGE);
        }
        if (task.kind() != TaskKind.PROCESS) {
            return Reply.error("Task " + task.id() + " is an " + task.kind().label()
                    + " task: only the output of a process task can be followed.");
        }
        if (task.isFinal()) {
            return Reply.text(logText(task) + "\n" + text.endLine(task));
        }
        if (progress.isEmpty()) {
            return Reply.text(logText(task) + "\n" + FOLLOW_NEEDS_A_TERMINAL);
        }
        return follow(task.id(), progress.get());
    }

    /** The end of the task's output, and where the whole of it is; for an agent, its transcript. */
    private String logText(Task task) {
        if (task.kind() == TaskKind.AGENT) {
            return transcriptText(task);
        }
        String tail = queries.outputTail(task.id(), LOG_OUTPUT_LINES);
        String text = tail.isBlank() ? "Task " + task.id() + " has no output yet."
                : TaskDetailText.endOf(tail, Integer.MAX_VALUE, LOG_MAX_CHARS, Optional.empty());
        return text + wholeLog(task.id());
    }

    /**
     * What an agent task did: its model's text, and each tool call with its arguments and result,
     * the end of it when it is long.
     */
    private String transcriptText(Task task) {
        List<AgentTranscripts.Entry> entries = transcripts.transcript(task.id());
        if (entries.isEmpty()) {
            return "Task " + task.id() + " has no transcript yet.";
        }
        StringBuilder whole = new StringBuilder();
        for (AgentTranscripts.Entry entry : entries) {
            if (!whole.isEmpty()) {
                whole.append('\n');
            }
            switch (entry) {
                case AgentTranscripts.Entry.UserText user -> whole.append("user: ").append(user.text().strip());
                case AgentTranscripts.Entry.ModelText model -> whole.append("agent: ").append(model.text().strip());
                case AgentTranscripts.Entry.ToolCall call -> {
                    whole.append("tool ").append(call.tool()).append(' ').append(oneLine(call.arguments()));
                    whole.append(call.result().map(result -> "\n  → " + result.strip().replace("\n", "\n    "))
                            .orElse("\n  (waiting)"));
                }
            }
        }
        return TaskDetailText.endOf(whole.toString(), Integer.MAX_VALUE, LOG_MAX_CHARS, Optional.empty());
    }

    /** A line that names the log files of task {@code id}, or nothing when it keeps none. */
    private String wholeLog(TaskId id) {
        List<Path> logs = queries.logFiles(id);
        return logs.isEmpty() ? "" : "\nWhole log: " + logs.stream().map(Path::toString)
                .collect(Collectors.joining(" and "));
    }

    /**
     * Shows task {@code id}'s output as it comes, through {@code progress}, until the task ends or
     * this thread is interrupted (Ctrl-C in the terminal). It looks every {@link CommandInterpreter#FOLLOW_POLL}, and
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
                    return Reply.text("Task " + id + " is gone.");
                }
                if (now.get().isFinal()) {
                    show(progress, output.flush());
                    return Reply.text(text.endLine(now.get()));
                }
            }
        } catch (InterruptedException e) {
            show(progress, output.flush());
            Thread.currentThread().interrupt(); // the caller clears it once it has shown the reply
            return Reply.text("Stopped following task " + id + "; it goes on. /task " + id + " log -f follows it again.");
        }
    }

    private static void show(Consumer<String> progress, String text) {
        if (!text.isEmpty()) {
            progress.accept(text);
        }
    }
}
