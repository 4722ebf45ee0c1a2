package dev.octo.adapters.persistence;

import dev.octo.adapters.persistence.TaskDocument.AgentUsageDocument;
import dev.octo.adapters.persistence.TaskDocument.SpecDocument;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.AgentUsage;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskSpec;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Timeout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Task to {@link TaskDocument} and back; the way back checks everything and says what is wrong. */
final class TaskDocumentMapper {

    private static final String PROCESS = "process";
    private static final String AGENT = "agent";

    private TaskDocumentMapper() {
    }

    static TaskDocument toDocument(Task task) {
        return new TaskDocument(
                TaskDocument.SCHEMA_VERSION,
                task.id().value(),
                task.status().label(),
                toDocument(task.spec()),
                task.createdAt().toString(),
                task.startedAt().map(Instant::toString).orElse(null),
                task.finishedAt().map(Instant::toString).orElse(null),
                task.updatedAt().toString(),
                task.result().orElse(null),
                task.error().orElse(null),
                task.question().orElse(null),
                task.answer().orElse(null),
                task.escalations(),
                task.attempt(),
                task.parentId().map(TaskId::value).orElse(null),
                task.process().map(ProcessRef::pid).orElse(null),
                task.process().map(ref -> ref.processStart().toString()).orElse(null),
                toDocument(task.usage()));
    }

    /** No document for an agent task that has not run, nor for a process task. */
    private static AgentUsageDocument toDocument(AgentUsage usage) {
        if (usage.equals(AgentUsage.NONE)) {
            return null;
        }
        return new AgentUsageDocument(usage.turns(), usage.inputTokens(), usage.outputTokens(),
                seconds(usage.runningTime()));
    }

    private static SpecDocument toDocument(TaskSpec spec) {
        BigDecimal requested = spec.timeout().requested().map(TaskDocumentMapper::seconds).orElse(null);
        BigDecimal applied = spec.timeout().applied().map(TaskDocumentMapper::seconds).orElse(null);
        return switch (spec) {
            case ProcessSpec process -> new SpecDocument(PROCESS, process.command(), null, null,
                    process.workingDirectory().toString(), process.environment(), null, requested, applied, null);
            case AgentSpec agent -> new SpecDocument(AGENT, null, agent.prompt(), agent.agentName(),
                    agent.workingDirectory().toString(), null, agent.maxTurns(), requested, applied,
                    agent.maxTokens().orElse(null));
        };
    }

    /**
     * The task {@code document} describes.
     *
     * @throws InvalidDocumentException when a required field is missing, a value is not of its
     *     form, the schema version is not one this code reads, or the values break a task's rules
     */
    static Task toTask(TaskDocument document) throws InvalidDocumentException {
        if (document == null) {
            throw new InvalidDocumentException("the file holds no task (JSON null)");
        }
        int version = required(document.schemaVersion(), "schemaVersion");
        if (version > TaskDocument.SCHEMA_VERSION) {
            throw new InvalidDocumentException("schemaVersion " + version
                    + " is newer than this Octo reads (" + TaskDocument.SCHEMA_VERSION + ")");
        }
        if (version < 1) {
            throw new InvalidDocumentException("schemaVersion " + version + " is not a valid version");
        }
        try {
            TaskId id = TaskId.of(required(document.id(), "id"));
            String statusText = required(document.status(), "status");
            TaskStatus status = TaskStatus.parse(statusText).orElseThrow(
                    () -> new InvalidDocumentException("unknown status '" + statusText + "'"));
            TaskSpec spec = toSpec(required(document.spec(), "spec"));
            Optional<ProcessRef> process = Optional.empty();
            if (document.processPid() != null || document.processStart() != null) {
                process = Optional.of(new ProcessRef(required(document.processPid(), "processPid"),
                        instant(required(document.processStart(), "processStart"), "processStart")));
            }
            return new Task(
                    id,
                    spec,
                    status,
                    instant(required(document.createdAt(), "createdAt"), "createdAt"),
                    optionalInstant(document.startedAt(), "startedAt"),
                    optionalInstant(document.finishedAt(), "finishedAt"),
                    Optional.ofNullable(document.result()),
                    Optional.ofNullable(document.error()),
                    Optional.ofNullable(document.question()),
                    Optional.ofNullable(document.answer()),
                    required(document.escalations(), "escalations"),
                    required(document.attempt(), "attempt"),
                    Optional.ofNullable(document.parentId()).map(TaskId::of),
                    process,
                    usage(document.agentUsage()),
                    instant(required(document.updatedAt(), "updatedAt"), "updatedAt"));
        } catch (IllegalArgumentException | NullPointerException e) {
            // the domain's own checks: a malformed id, a paused task with no question, ...
            throw new InvalidDocumentException("not a valid task: " + e.getMessage(), e);
        }
    }

    private static TaskSpec toSpec(SpecDocument spec) throws InvalidDocumentException {
        String kind = required(spec.kind(), "spec.kind");
        Path workingDirectory = path(required(spec.workingDirectory(), "spec.workingDirectory"));
        Timeout timeout = timeout(spec);
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case PROCESS -> new ProcessSpec(required(spec.command(), "spec.command"), workingDirectory,
                    spec.environment() == null ? Map.of() : spec.environment(), timeout);
            case AGENT -> new AgentSpec(required(spec.prompt(), "spec.prompt"),
                    required(spec.agentName(), "spec.agentName"), workingDirectory,
                    required(spec.maxTurns(), "spec.maxTurns"), timeout, Optional.ofNullable(spec.maxTokens()));
            default -> throw new InvalidDocumentException("unknown task kind '" + kind + "'");
        };
    }

    private static AgentUsage usage(AgentUsageDocument usage) throws InvalidDocumentException {
        if (usage == null) {
            return AgentUsage.NONE;
        }
        return new AgentUsage(required(usage.turns(), "agentUsage.turns"),
                required(usage.inputTokens(), "agentUsage.inputTokens"),
                required(usage.outputTokens(), "agentUsage.outputTokens"),
                duration(required(usage.runningTimeSeconds(), "agentUsage.runningTimeSeconds"),
                        "agentUsage.runningTimeSeconds"));
    }

    private static Timeout timeout(SpecDocument spec) throws InvalidDocumentException {
        BigDecimal requested = spec.timeoutRequestedSeconds();
        BigDecimal applied = spec.timeoutAppliedSeconds();
        if (requested == null && applied == null) {
            return Timeout.NONE;
        }
        return Timeout.limited(duration(required(requested, "spec.timeoutRequestedSeconds"),
                        "spec.timeoutRequestedSeconds"),
                duration(required(applied, "spec.timeoutAppliedSeconds"), "spec.timeoutAppliedSeconds"));
    }

    static BigDecimal seconds(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9))
                .stripTrailingZeros();
        return seconds.scale() < 0 ? seconds.setScale(0) : seconds;
    }

    private static Duration duration(BigDecimal seconds, String field) throws InvalidDocumentException {
        try {
            BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
            int nanos = seconds.subtract(whole).movePointRight(9).intValueExact();
            return Duration.ofSeconds(whole.longValueExact(), nanos);
        } catch (ArithmeticException e) {
            throw new InvalidDocumentException("field '" + field + "' is not a number of seconds with at most"
                    + " nine decimals: " + seconds.toPlainString(), e);
        }
    }

    private static Instant instant(String text, String field) throws InvalidDocumentException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidDocumentException("field '" + field + "' is not an ISO-8601 instant: '" + text + "'", e);
        }
    }

    private static Optional<Instant> optionalInstant(String text, String field) throws InvalidDocumentException {
        return text == null ? Optional.empty() : Optional.of(instant(text, field));
    }

    private static Path path(String text) throws InvalidDocumentException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidDocumentException("field 'spec.workingDirectory' is not a path: " + e.getMessage(), e);
        }
    }

    private static <T> T required(T value, String field) throws InvalidDocumentException {
        if (value == null) {
            throw new InvalidDocumentException("required field '" + field + "' is missing");
        }
        return value;
    }
}
