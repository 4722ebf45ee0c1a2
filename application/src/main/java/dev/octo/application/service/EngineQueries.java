package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.OutputChunk;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskStatus;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The engine's answers to {@link TaskQueries}: tasks as stored, their output as the {@link
 * ProcessRunner} keeps it, and the workload as the {@link WorkerSlots} count it. A wait for an end
 * answers after the channels heard of that end, not before.
 */
final class EngineQueries implements TaskQueries {

    private static final System.Logger LOG = System.getLogger(EngineQueries.class.getName());
    private static final Comparator<Task> NEWEST_FIRST = WorkerSlots.OLDEST_FIRST.reversed();

    private final TaskStore store;
    private final ProcessRunner processes;
    private final WorkerSlots slots;
    private final NotificationDispatcher notifications;
    private final Supplier<List<String>> recoveryProblems;

    EngineQueries(TaskStore store, ProcessRunner processes, WorkerSlots slots, NotificationDispatcher notifications,
            Supplier<List<String>> recoveryProblems) {
        this.store = requireNonNull(store, "store is null");
        this.processes = requireNonNull(processes, "processes is null");
        this.slots = requireNonNull(slots, "slots is null");
        this.notifications = requireNonNull(notifications, "notifications is null");
        this.recoveryProblems = requireNonNull(recoveryProblems, "recoveryProblems is null");
    }

    @Override
    public List<TaskEntry> list(Optional<TaskStatus> status) {
        requireNonNull(status, "status is null");
        List<TaskEntry> all = store.entries();
        if (status.isEmpty()) {
            return all;
        }
        List<TaskEntry> matching = new ArrayList<>();
        for (TaskEntry entry : all) {
            if (entry.status() == status.get()) {
                matching.add(entry);
            }
        }
        return Collections.unmodifiableList(matching);
    }

    @Override
    public Optional<Task> find(TaskId id) {
        return store.find(id);
    }

    @Override
    public List<Task> listSinceStart() {
        return slots.sinceStart().stream()
                .map(store::find)
                .flatMap(Optional::stream)
                .sorted(NEWEST_FIRST)
                .toList();
    }

    @Override
    public Resolution resolve(String idOrPrefix) {
        String prefix = idOrPrefix == null ? "" : idOrPrefix.strip().toLowerCase(Locale.ROOT);
        if (prefix.isEmpty() || prefix.length() > TaskId.LENGTH) {
            return new Resolution.NotFound(idOrPrefix == null ? "" : idOrPrefix.strip());
        }
        if (TaskId.isWellFormed(prefix)) {
            return store.find(TaskId.of(prefix))
                    .<Resolution>map(Resolution.Found::new)
                    .orElseGet(() -> new Resolution.NotFound(prefix));
        }
        List<TaskId> matches = store.entries().stream()
                .map(TaskEntry::id)
                .filter(id -> id.value().startsWith(prefix))
                .sorted()
                .toList();
        if (matches.size() == 1) {
            // removed meanwhile, it is not found
            return store.find(matches.get(0)).<Resolution>map(Resolution.Found::new)
                    .orElseGet(() -> new Resolution.NotFound(prefix));
        }
        return matches.isEmpty() ? new Resolution.NotFound(prefix) : new Resolution.Ambiguous(prefix, matches);
    }

    @Override
    public String outputTail(TaskId id, int maxLines) {
        Optional<Task> task = store.find(id);
        if (task.isEmpty()) {
            return "";
        }
        return switch (task.get().kind()) {
            case PROCESS -> processes.outputTail(id, maxLines);
            case AGENT -> "";
        };
    }

    @Override
    public List<Path> logFiles(TaskId id) {
        return isProcessTask(id) ? processes.logFiles(id) : List.of();
    }

    @Override
    public Optional<Integer> exitCode(TaskId id) {
        Optional<Task> task = store.find(id);
        return task.isPresent() && task.get().kind() == TaskKind.PROCESS && task.get().isFinal()
                ? processes.recordedExitCode(id) : Optional.empty();
    }

    @Override
    public OutputChunk outputSince(TaskId id, OutputChunk.Position from, int maxBytes) {
        requireNonNull(from, "from is null");
        return isProcessTask(id) ? processes.outputSince(id, from, maxBytes) : OutputChunk.nothingAt(from);
    }

    @Override
    public Workload workload() {
        return slots.workload();
    }

    private boolean isProcessTask(TaskId id) {
        return store.find(id).filter(task -> task.kind() == TaskKind.PROCESS).isPresent();
    }

    @Override
    public Optional<Task> awaitFinal(TaskId id, Duration limit) throws InterruptedException {
        AtomicReference<Optional<Task>> seen = new AtomicReference<>(Optional.empty());
        slots.awaitUntil(() -> {
            Optional<Task> task = store.find(id);
            seen.set(task);
            return task.isEmpty() || task.get().isFinal();
        }, limit);
        Optional<Task> found = seen.get();
        if (found.isPresent() && found.get().isFinal()) {
            toldOfWhatEnded();
        }
        return found;
    }

    @Override
    public boolean awaitAllSettled(Duration limit) throws InterruptedException {
        boolean settled = slots.awaitSettled(limit);
        if (settled) {
            toldOfWhatEnded();
        }
        return settled;
    }

    /**
     * Waits (a bounded while) until the channels heard of the ends recorded so far, so that whoever
     * waited for an end answers after its notification, not before it. Never called under the
     * pool's lock: a channel may ask the engine for counts while it prints.
     */
    private void toldOfWhatEnded() {
        if (!notifications.flush(TaskEngine.NOTICES_LIMIT)) {
            LOG.log(Level.WARNING, "the channels did not hear of the ends waited for within {0} s",
                    TaskEngine.NOTICES_LIMIT.toSeconds());
        }
    }

    @Override
    public List<String> loadProblems() {
        List<String> found = recoveryProblems.get();
        if (found.isEmpty()) {
            return store.loadProblems();
        }
        List<String> problems = new ArrayList<>(store.loadProblems());
        problems.addAll(found);
        return List.copyOf(problems);
    }

    @Override
    public Map<TaskStatus, Integer> unfinishedCounts() {
        // from the tasks that are not final alone, which the store keeps in memory: a start with
        // thousands of old tasks draws its first prompt before the store has loaded those
        EnumMap<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            if (!status.isFinal()) {
                counts.put(status, 0);
            }
        }
        for (Task task : store.unfinished()) {
            counts.merge(task.status(), 1, Integer::sum);
        }
        return Collections.unmodifiableMap(counts);
    }

    @Override
    public List<Task> runningProcessTasks() {
        return slots.runningIds().stream()
                .map(store::find)
                .flatMap(Optional::stream)
                .filter(task -> task.kind() == TaskKind.PROCESS && task.status() == TaskStatus.RUNNING)
                .sorted(WorkerSlots.OLDEST_FIRST)
                .toList();
    }
}
