package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.CleanOutcome;
import dev.octo.application.port.in.CleanTasks;
import dev.octo.application.port.in.CleanTasksUseCase;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.DispatchTaskUseCase;
import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.HoldQueueUseCase;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.RetryTaskUseCase;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.Notifier;
import dev.octo.application.port.out.OutputChunk;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.TaskIds;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskSpec;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Timeout;
import dev.octo.domain.Transition;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The heart of Octo: takes requests for background work, runs at most
 * {@link EngineSettings#maxConcurrent()} tasks at once (the rest wait, oldest first), records
 * every change in the {@link TaskStore} before telling anyone, and tells every {@link Notifier}.
 *
 * <p>On {@link #start()} it picks up what an earlier instance left: DISPATCHED and RESUMED tasks are
 * queued again, a RUNNING process task is adopted (watched again if its process still runs,
 * finished from its recorded exit status if it ended, queued again if its command never ran, failed
 * as interrupted if it is gone), a RUNNING agent task continues from its saved conversation, and
 * PAUSED tasks keep waiting for their answer.
 *
 * <p>A change the engine makes on its own (a task starts, a task ends) that the store cannot write
 * (a full disk) is tried again, with growing pauses, until it is written; only then is it told. A
 * task whose end waits to be written keeps its worker; a start that could not be written holds the
 * queue back until it is tried again. Every channel is told once that Octo cannot write its state,
 * and once when it can again.
 *
 * <p>Stopping the engine ({@link #close()}) never stops a process task: its process runs on
 * and the next start adopts it. Agent tasks stop after their current turn and continue at the next
 * start.
 */
public final class TaskEngine implements DispatchTaskUseCase, CancelTaskUseCase, ResumeTaskUseCase,
        RetryTaskUseCase, FollowUpTaskUseCase, CleanTasksUseCase, TaskQueries, HoldQueueUseCase, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TaskEngine.class.getName());
    static final String INTERRUPTED = "Interrupted: the process was gone without an exit status when Octo"
            + " started again (the machine may have restarted)";
    static final String UNREADABLE_STATUS = "Interrupted: the process was gone when Octo started again, and it left"
            + " no exit status that can be read: ";
    private static final Comparator<Task> OLDEST_FIRST =
            Comparator.comparing(Task::createdAt).thenComparing(Task::id);
    private static final Comparator<Task> NEWEST_FIRST = OLDEST_FIRST.reversed();
    /** How long {@link #start()} and the waits wait for the channels to hear what they are told. */
    private static final Duration NOTICES_LIMIT = Duration.ofSeconds(5);
    /** The pause before a failed save is tried again; it doubles with every failure, up to the next. */
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(10);

    private final TaskStore store;
    private final Optional<ConversationStore> conversations;
    private final TaskIds ids;
    private final Clock clock;
    private final ProcessRunner processes;
    private final AgentRunner agents;
    private final EngineSettings settings;
    private final NotificationDispatcher notifications = new NotificationDispatcher();
    private final StoreOutage storeOutage = new StoreOutage(notifications);
    /** What recovery found wrong in the files of tasks, reported with the store's load problems. */
    private final List<String> recoveryProblems = new CopyOnWriteArrayList<>();

    // Locks: a task's changes are read, applied and saved under its own (striped) lock, so the writes
    // of different tasks overlap; the pool's bookkeeping below is under `lock`, taken after a task
    // lock and never held while writing.
    private final StripedLocks taskLocks = new StripedLocks();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Task> queue = new PriorityQueue<>(OLDEST_FIRST);
    private final Set<TaskId> queued = new HashSet<>();
    private final Map<TaskId, Execution> running = new HashMap<>();
    /** The tasks taken on since the start, for {@link #listSinceStart()}: ids only, a few bytes each. */
    private final Set<TaskId> sinceStart = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "octo-timeouts");
        t.setDaemon(true);
        return t;
    });
    private boolean started;
    // while recovery adopts, queued tasks wait: the tasks it adopts take their workers first
    private boolean recovering;
    // after a start that could not be recorded, the next one waits for its retry
    private boolean startsHeld;
    private int failedStarts;
    private volatile boolean closed;
    /** Whether queued tasks are kept from starting ({@link #holdQueue()}); under {@code lock}. */
    private boolean queueHeld;
    /** How many tasks pump() took from the queue and has not yet moved to RUNNING; under {@code lock}. */
    private int starting;

    /**
     * An engine whose agent tasks keep no conversation in a {@link ConversationStore} (one that runs
     * process tasks only, or a test's): {@link #clean} then has no conversation to remove.
     */
    public TaskEngine(TaskStore store, TaskIds ids, Clock clock, ProcessRunner processes, AgentRunner agents,
            EngineSettings settings) {
        this(store, Optional.empty(), ids, clock, processes, agents, settings);
    }

    /** An engine whose agent runner keeps each agent task's conversation in {@code conversations}. */
    public TaskEngine(TaskStore store, ConversationStore conversations, TaskIds ids, Clock clock,
            ProcessRunner processes, AgentRunner agents, EngineSettings settings) {
        this(store, Optional.of(requireNonNull(conversations, "conversations is null")), ids, clock, processes,
                agents, settings);
    }

    private TaskEngine(TaskStore store, Optional<ConversationStore> conversations, TaskIds ids, Clock clock,
            ProcessRunner processes, AgentRunner agents, EngineSettings settings) {
        this.store = requireNonNull(store, "store is null");
        this.conversations = conversations;
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.processes = requireNonNull(processes, "processes is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Adds a channel that hears of every task event from now on. */
    public void register(Notifier notifier) {
        notifications.register(notifier);
    }

    public EngineSettings settings() {
        return settings;
    }

    /**
     * Picks up the tasks an earlier instance left and starts running queued work. Call once, after
     * registering the notifiers that should hear of what recovery finds. Returns once they heard of
     * it (or after a few seconds), so that a front end shows it before the answer to a first command.
     */
    public void start() {
        List<Task> toAdopt = new ArrayList<>();
        List<Task> toContinue = new ArrayList<>();
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("the engine was started already");
            }
            started = true;
            recovering = true;
            for (Task task : store.list()) {
                switch (task.status()) {
                    case DISPATCHED, RESUMED -> enqueue(task);
                    case RUNNING -> {
                        switch (task.kind()) {
                            case PROCESS -> toAdopt.add(task);
                            // it held a worker when Octo stopped: it continues from its saved
                            // conversation at once, so that it never shows RUNNING while it waits
                            case AGENT -> toContinue.add(task);
                        }
                    }
                    case PAUSED, COMPLETED, FAILED, CANCELLED -> {
                        // a paused task waits for its answer; a final one never changes
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        // adopted and continued tasks are this run's work, as the queued ones are (see enqueue)
        toAdopt.forEach(task -> sinceStart.add(task.id()));
        toContinue.forEach(task -> sinceStart.add(task.id()));
        toAdopt.sort(OLDEST_FIRST);
        for (Task task : toAdopt) {
            adopt(task);
        }
        toContinue.sort(OLDEST_FIRST);
        lock.lock();
        try {
            for (Task task : toContinue) {
                if (closed) {
                    break;
                }
                Execution execution = new Execution(task.id());
                running.put(task.id(), execution);
                launch(execution, task);
            }
            recovering = false;
        } finally {
            lock.unlock();
        }
        pump();
        if (!notifications.flush(NOTICES_LIMIT)) {
            LOG.log(Level.WARNING, "the channels did not hear of what the start found within {0} s",
                    NOTICES_LIMIT.toSeconds());
        }
    }

    // ---- use cases ------------------------------------------------------------------------------

    @Override
    public TaskOutcome dispatch(DispatchTask request) {
        requireNonNull(request, "request is null");
        TaskSpec spec;
        try {
            spec = specFor(request);
        } catch (IllegalArgumentException e) {
            return new TaskOutcome.Rejected(e.getMessage());
        }
        return dispatchNew(spec, Optional.empty(), 1, "Dispatched");
    }

    @Override
    public TaskOutcome cancel(TaskId id) {
        requireNonNull(id, "id is null");
        return cancelRequestedOn(id, Optional.empty());
    }

    @Override
    public TaskOutcome cancel(TaskId id, String channel) {
        requireNonNull(id, "id is null");
        requireNonNull(channel, "channel is null");
        return cancelRequestedOn(id, Optional.of(channel));
    }

    private TaskOutcome cancelRequestedOn(TaskId id, Optional<String> channel) {
        TaskOutcome outcome = change(id, task -> task.cancel(now(), channel), "Cancelled task " + id + ".");
        if (outcome instanceof TaskOutcome.Done) {
            lock.lock();
            try {
                dequeue(id);
                Execution execution = running.get(id);
                if (execution != null) {
                    execution.cancelRequested = true;
                    execution.stop();
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return outcome;
    }

    @Override
    public TaskOutcome resume(TaskId id, String answer) {
        requireNonNull(id, "id is null");
        TaskOutcome outcome = change(id, task -> task.resume(answer, now(), settings.escalationPolicy()),
                "Task " + id + " goes on with your answer.");
        if (outcome instanceof TaskOutcome.Done resumed) {
            lock.lock();
            try {
                enqueue(resumed.task());
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            pump();
        }
        return outcome;
    }

    @Override
    public TaskOutcome retry(TaskId id) {
        requireNonNull(id, "id is null");
        TaskOutcome found = finishedTask(id, "retry", "only a finished task can be retried; cancel it first");
        if (!(found instanceof TaskOutcome.Done(Task old, String unused))) {
            return found;
        }
        return dispatchNew(old.spec(), Optional.of(old.id()), old.attempt() + 1, "Retrying task " + id + " as");
    }

    @Override
    public TaskOutcome followUp(TaskId id, String instruction) {
        requireNonNull(id, "id is null");
        if (instruction == null || instruction.isBlank()) {
            return new TaskOutcome.Rejected("A follow-up needs an instruction: /task " + id + " followup <instruction>");
        }
        TaskOutcome found = finishedTask(id, "follow up", "it has not finished yet");
        if (!(found instanceof TaskOutcome.Done(Task old, String unused))) {
            return found;
        }
        String agentName = old.spec() instanceof AgentSpec agent ? agent.agentName() : AgentSpec.DEFAULT_AGENT;
        AgentSpec spec = new AgentSpec(followUpPrompt(old, instruction.strip()), agentName,
                old.spec().workingDirectory(), AgentSpec.DEFAULT_MAX_TURNS, Timeout.NONE);
        return dispatchNew(spec, Optional.of(old.id()), 1, "Following up task " + id + " with");
    }

    /** The final task {@code id} to start new work from, or why it cannot be: unknown, or not final. */
    private TaskOutcome finishedTask(TaskId id, String verb, String whyNotYet) {
        Optional<Task> found = store.find(id);
        if (found.isEmpty()) {
            return new TaskOutcome.Rejected(noSuchTask(id));
        }
        Task task = found.get();
        if (!task.isFinal()) {
            return new TaskOutcome.Rejected("Cannot " + verb + " task " + id + " (" + task.status().label() + "): "
                    + whyNotYet);
        }
        return new TaskOutcome.Done(task, "");
    }

    @Override
    public CleanOutcome clean(CleanTasks request) {
        requireNonNull(request, "request is null");
        if (request.status().isPresent() && !request.status().get().isFinal()) {
            TaskStatus status = request.status().get();
            return new CleanOutcome.Rejected("Cannot clean " + status.label() + " tasks: only finished tasks"
                    + " (completed, failed or cancelled) are removed, never one that waits, runs or is paused."
                    + " /task <id> cancel ends one first.");
        }
        Optional<Instant> finishedBefore = request.olderThan().map(now()::minus);
        Predicate<Task> selected = task -> task.isFinal()
                && request.status().map(status -> task.status() == status).orElse(true)
                && finishedBefore.map(limit -> !task.finishedAt().orElse(task.updatedAt()).isAfter(limit))
                        .orElse(true);
        List<TaskId> removed = new ArrayList<>();
        List<TaskId> stillStopping = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Task task : store.list().stream().filter(selected).sorted(OLDEST_FIRST).toList()) {
            switch (removeFinished(task.id(), selected, problems)) {
                case REMOVED -> removed.add(task.id());
                case STILL_STOPPING -> stillStopping.add(task.id());
                case KEPT -> {
                    // gone meanwhile, or its file could not be removed (a problem says so)
                }
            }
        }
        return new CleanOutcome.Cleaned(removed, stillStopping, problems);
    }

    private enum Removal { REMOVED, STILL_STOPPING, KEPT }

    /**
     * Removes the final task {@code id} with its files, under its task lock so that no change that
     * read it before can save it again afterwards.
     */
    private Removal removeFinished(TaskId id, Predicate<Task> selected, List<String> problems) {
        ReentrantLock taskLock = taskLock(id);
        taskLock.lock();
        try {
            Optional<Task> found = store.find(id);
            if (found.isEmpty() || !selected.test(found.get())) {
                return Removal.KEPT;
            }
            lock.lock();
            try {
                // a cancelled task whose process gets TERM then KILL, or whose agent ends its turn,
                // may still write its logs or its conversation: it is removed once that is over
                if (running.containsKey(id)) {
                    return Removal.STILL_STOPPING;
                }
            } finally {
                lock.unlock();
            }
            try {
                store.delete(id);
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "could not remove task " + id, e);
                problems.add("Could not remove task " + id + ": " + e.getMessage());
                return Removal.KEPT;
            }
            // The task file goes first: a crash or a failure from here on leaves logs, an exit file
            // or a conversation without their task, which is harmless. Nothing reads them (the store
            // loads task files only, and output is read only for a stored task), and the id cannot
            // come back to life through them.
            try {
                switch (found.get().kind()) {
                    case PROCESS -> processes.deleteFiles(id);
                    case AGENT -> conversations.ifPresent(conversationStore -> conversationStore.delete(id));
                }
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "removed task " + id + " but not all of its files", e);
                problems.add("Removed task " + id + ", but not all of its files: " + e.getMessage());
            }
            return Removal.REMOVED;
        } finally {
            taskLock.unlock();
        }
    }

    // ---- queries --------------------------------------------------------------------------------

    @Override
    public List<Task> list(Optional<TaskStatus> status) {
        requireNonNull(status, "status is null");
        return store.list().stream()
                .filter(task -> status.isEmpty() || task.status() == status.get())
                .sorted(NEWEST_FIRST)
                .toList();
    }

    @Override
    public Optional<Task> find(TaskId id) {
        return store.find(id);
    }

    @Override
    public List<Task> listSinceStart() {
        return sinceStart.stream()
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
        List<Task> matches = store.list().stream()
                .filter(task -> task.id().value().startsWith(prefix))
                .sorted(OLDEST_FIRST)
                .toList();
        return switch (matches.size()) {
            case 0 -> new Resolution.NotFound(prefix);
            case 1 -> new Resolution.Found(matches.get(0));
            default -> new Resolution.Ambiguous(prefix, matches.stream().map(Task::id).sorted().toList());
        };
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
        lock.lock();
        try {
            return new Workload(running.size(), queue.size(), settings.maxConcurrent());
        } finally {
            lock.unlock();
        }
    }

    private boolean isProcessTask(TaskId id) {
        return store.find(id).filter(task -> task.kind() == TaskKind.PROCESS).isPresent();
    }

    @Override
    public Optional<Task> awaitFinal(TaskId id, Duration limit) throws InterruptedException {
        Optional<Task> found = awaitFinalOrLimit(id, limit);
        if (found.isPresent() && found.get().isFinal()) {
            toldOfWhatEnded();
        }
        return found;
    }

    private Optional<Task> awaitFinalOrLimit(TaskId id, Duration limit) throws InterruptedException {
        long nanos = limit.toNanos();
        lock.lock();
        try {
            while (true) {
                Optional<Task> task = store.find(id);
                if (task.isEmpty() || task.get().isFinal() || nanos <= 0) {
                    return task;
                }
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitAllSettled(Duration limit) throws InterruptedException {
        boolean settled = awaitUntil(() -> running.isEmpty() && queue.isEmpty(), limit);
        if (settled) {
            toldOfWhatEnded();
        }
        return settled;
    }

    /**
     * Waits (a bounded while) until the channels heard of the ends recorded so far, so that whoever
     * waited for an end answers after its notification, not before it. Never called under
     * {@code lock}: a channel may ask the engine for counts while it prints.
     */
    private void toldOfWhatEnded() {
        if (!notifications.flush(NOTICES_LIMIT)) {
            LOG.log(Level.WARNING, "the channels did not hear of the ends waited for within {0} s",
                    NOTICES_LIMIT.toSeconds());
        }
    }

    @Override
    public List<String> loadProblems() {
        if (recoveryProblems.isEmpty()) {
            return store.loadProblems();
        }
        List<String> problems = new ArrayList<>(store.loadProblems());
        problems.addAll(recoveryProblems);
        return List.copyOf(problems);
    }

    /** The process tasks whose commands are running now. */
    public List<Task> runningProcessTasks() {
        lock.lock();
        try {
            return running.keySet().stream()
                    .map(store::find)
                    .flatMap(Optional::stream)
                    .filter(task -> task.kind() == TaskKind.PROCESS && task.status() == TaskStatus.RUNNING)
                    .sorted(OLDEST_FIRST)
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until the work of every task cancelled while it ran has really ended (a process group
     * gets TERM, then KILL after a grace), or {@code limit} has passed.
     *
     * @return whether all of it ended in time
     */
    public boolean awaitCancelledStopped(Duration limit) throws InterruptedException {
        return awaitUntil(() -> running.values().stream().noneMatch(execution -> execution.cancelRequested), limit);
    }

    /** Waits until {@code condition}, checked under the pool's lock after every change, or {@code limit}. */
    private boolean awaitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long nanos = limit.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void holdQueue() {
        lock.lock();
        try {
            queueHeld = true;
            // one taken from the queue a moment ago is still on its way to RUNNING: wait for it, so
            // that whoever asks next what runs is told of it
            while (starting > 0) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void releaseQueue() {
        lock.lock();
        try {
            queueHeld = false;
        } finally {
            lock.unlock();
        }
        pump();
    }

    /** How many tasks are RUNNING (holding a worker) and how many wait for the queue. */
    public int runningCount() {
        lock.lock();
        try {
            return running.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops taking work. Process tasks keep running for the next start to adopt; agent tasks are
     * interrupted and stop after their current turn, staying RUNNING so that the next start goes on
     * from their saved conversation. Waits a few seconds for agents to save.
     */
    @Override
    public void close() {
        List<Execution> agentRuns = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Execution execution : running.values()) {
                if (execution.agentThread != null) {
                    agentRuns.add(execution);
                    execution.agentThread.interrupt();
                }
            }
        } finally {
            lock.unlock();
        }
        for (Execution execution : agentRuns) {
            try {
                execution.agentThread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timers.shutdownNow();
        notifications.close();
    }

    // ---- running work ---------------------------------------------------------------------------

    private TaskOutcome dispatchNew(TaskSpec spec, Optional<TaskId> parent, int attempt, String verb) {
        if (closed) {
            return new TaskOutcome.Rejected("Octo is shutting down; nothing new is started");
        }
        Task task = Task.dispatch(ids.next(), spec, now(), parent, attempt);
        try {
            // a new id: nobody else can change this task yet, so it is saved without a lock
            store.save(task);
        } catch (StoreException e) {
            LOG.log(Level.ERROR, "could not store new task " + task.id(), e);
            return new TaskOutcome.Rejected("Could not store the task: " + e.getMessage());
        }
        notifications.publish(new TaskEvent.Dispatched(task, task.createdAt()));
        lock.lock();
        try {
            enqueue(task);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        pump();
        return new TaskOutcome.Done(task, verb + " task " + task.id() + ": " + CommandInterpreter.abbreviate(spec.summary(), 80)
                + waitingNote(task.id()) + raisedTimeoutNote(spec));
    }

    /** Why task {@code id} has not started at once, or nothing when it started. */
    private String waitingNote(TaskId id) {
        lock.lock();
        try {
            if (!queued.contains(id)) {
                return "";
            }
            if (running.size() >= settings.maxConcurrent()) {
                return " (waiting: " + running.size() + " running, limit " + settings.maxConcurrent() + ")";
            }
            return " (waiting to start)";
        } finally {
            lock.unlock();
        }
    }

    /** That the timeout policy raised the asked timeout of {@code spec} to a floor, and why. */
    private String raisedTimeoutNote(TaskSpec spec) {
        Timeout timeout = spec.timeout();
        if (timeout.requested().isEmpty() || timeout.applied().equals(timeout.requested())) {
            return "";
        }
        String why = switch (spec) {
            case ProcessSpec process -> settings.timeoutPolicy().longWorkIn(process.command())
                    .map(work -> switch (work) {
                        case CLAUDE -> ": claude commands get at least CLAUDE_CODE_TIMEOUT";
                        case TEST_OR_BUILD -> ": test and build commands get at least "
                                + settings.timeoutPolicy().minimumFor(work).toSeconds() + " s";
                    })
                    .orElse("");
            case AgentSpec agent -> "";
        };
        return "\nTimeout raised from " + timeout.requested().get().toSeconds() + " s to "
                + timeout.applied().orElseThrow().toSeconds() + " s" + why + ".";
    }

    private TaskSpec specFor(DispatchTask request) {
        return switch (request) {
            case DispatchTask.Process process -> {
                if (process.command().isBlank()) {
                    throw new IllegalArgumentException("A command is needed: /bg [--timeout S] <command>");
                }
                yield new ProcessSpec(process.command(),
                        process.workingDirectory().orElse(settings.workingDirectory()), process.environment(),
                        settings.timeoutPolicy().forCommand(process.command(), process.timeout()));
            }
            case DispatchTask.Agent agent -> {
                if (agent.prompt().isBlank()) {
                    throw new IllegalArgumentException("An agent task needs a prompt");
                }
                yield new AgentSpec(agent.prompt(), agent.agentName().filter(name -> !name.isBlank())
                        .orElse(AgentSpec.DEFAULT_AGENT),
                        agent.workingDirectory().orElse(settings.workingDirectory()), AgentSpec.DEFAULT_MAX_TURNS,
                        settings.timeoutPolicy().forAgent(agent.timeout()));
            }
        };
    }

    /**
     * Starts queued tasks while there are free workers. A worker is reserved under the pool's lock;
     * the task is started (and saved) under its own lock only, so that writes of different tasks
     * overlap.
     */
    private void pump() {
        while (true) {
            Execution execution;
            lock.lock();
            try {
                if (closed || !started || queueHeld || recovering || startsHeld
                        || running.size() >= settings.maxConcurrent()
                        || queue.isEmpty()) {
                    return;
                }
                Task head = queue.poll();
                queued.remove(head.id());
                execution = new Execution(head.id());
                running.put(head.id(), execution);
                starting++;
            } finally {
                lock.unlock();
            }
            Optional<Task> started;
            try {
                started = startQueued(execution.id);
            } catch (StoreException e) {
                startNotRecorded(execution, e);
                return;
            } finally {
                doneStarting();
            }
            lock.lock();
            try {
                failedStarts = 0;
            } finally {
                lock.unlock();
            }
            if (started.isPresent()) {
                launch(execution, started.get());
            } else {
                release(execution);
            }
        }
    }

    /**
     * The queued task {@code id} moved to RUNNING and saved, or empty when it may not start.
     *
     * @throws StoreException when the start cannot be saved; the task is still DISPATCHED
     */
    private Optional<Task> startQueued(TaskId id) {
        ReentrantLock taskLock = taskLock(id);
        taskLock.lock();
        try {
            Optional<Task> current = store.find(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            if (current.get().status() == TaskStatus.RUNNING) {
                return current; // an agent task that continues after a restart
            }
            if (!(current.get().start(now()) instanceof Transition.Applied applied)) {
                return Optional.empty(); // cancelled while it waited
            }
            record(applied);
            return Optional.of(applied.task());
        } finally {
            taskLock.unlock();
        }
    }

    /** A task taken from the queue is RUNNING now, or will not start: a {@link #holdQueue()} need not wait for it. */
    private void doneStarting() {
        lock.lock();
        try {
            starting--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The start of {@code execution}'s task could not be saved: the task waits at its place in the
     * queue again, and no task starts until a retry after a pause that grows with every failure.
     */
    private void startNotRecorded(Execution execution, StoreException e) {
        Optional<Task> waiting = store.find(execution.id);
        Duration pause;
        lock.lock();
        try {
            running.remove(execution.id, execution);
            waiting.filter(task -> !task.isFinal()).ifPresent(this::enqueue);
            pause = retryPause(failedStarts++);
            startsHeld = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.log(Level.WARNING, "could not record the start of task " + execution.id + "; starts are tried again in "
                + pause.toMillis() + " ms", e);
        boolean willRetry = later(pause, () -> {
            lock.lock();
            try {
                startsHeld = false;
            } finally {
                lock.unlock();
            }
            pump();
        });
        if (!willRetry) {
            LOG.log(Level.INFO, "task {0} stays queued for the next start", execution.id);
        }
    }

    /** Gives back the worker of {@code execution}, and wakes whoever waits for a change. */
    private void release(Execution execution) {
        lock.lock();
        try {
            running.remove(execution.id, execution);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void launch(Execution execution, Task task) {
        switch (task.spec()) {
            case ProcessSpec spec -> {
                scheduleTimeout(execution, task, task.startedAt().orElseGet(this::now));
                Thread.ofVirtual().name("task-" + task.id()).start(() -> runProcess(execution, spec));
            }
            case AgentSpec spec -> {
                // an agent's limit counts from this run: a pause must not eat it
                scheduleTimeout(execution, task, now());
                Thread.ofVirtual().name("task-" + task.id()).start(() -> runAgent(execution, task));
            }
        }
    }

    private void runProcess(Execution execution, ProcessSpec spec) {
        TaskId id = execution.id;
        RunningProcess process;
        try {
            process = processes.start(id, spec);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "task " + id + " could not start", e);
            Instant at = now();
            ended(execution, task -> task.fail("Could not start the command: " + e.getMessage(), at));
            return;
        }
        execution.process = process;
        ReentrantLock taskLock = taskLock(id);
        taskLock.lock();
        try {
            Optional<Task> current = store.find(id);
            if (current.isPresent() && current.get().status() == TaskStatus.RUNNING) {
                save(current.get().withProcess(process.ref(), now()));
            }
        } catch (StoreException e) {
            // the process is found again by its marker if Octo dies now
            LOG.log(Level.WARNING, "could not record the process of task " + id, e);
        } finally {
            taskLock.unlock();
        }
        // a cancel or timeout that came while the process started found no process to stop
        if (execution.cancelRequested || execution.timedOut) {
            process.terminate();
        }
        watch(execution, process);
    }

    private void watch(Execution execution, RunningProcess process) {
        process.exit().whenComplete((exit, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "lost track of the process of task " + execution.id, error);
                Instant at = now();
                ended(execution, task -> task.fail("Lost track of the process: " + error.getMessage(), at));
            } else {
                ended(execution, processOutcome(execution, exit));
            }
        });
    }

    /** The end of a task's process: at the time it ended when that is known, else now. */
    private Function<Task, Transition> processOutcome(Execution execution, ProcessExit exit) {
        Instant at = exit.endedAt().orElseGet(this::now);
        return task -> {
            if (exit.succeeded()) {
                // a command that exited 0 as its timer fired did finish: the TERM would have made it 143
                return task.complete(exit.stdoutTail(), at);
            }
            return task.fail(execution.timedOut ? timedOutReason(task) : exit.failureReason(), at);
        };
    }

    private void runAgent(Execution execution, Task task) {
        execution.agentThread = Thread.currentThread();
        AgentRunner.Outcome outcome;
        if (execution.cancelRequested || closed) {
            outcome = new AgentRunner.Outcome.Stopped();
        } else {
            try {
                outcome = agents.run(task);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "agent task " + task.id() + " failed", e);
                outcome = new AgentRunner.Outcome.Failed("Agent error: " + e.getMessage());
            }
        }
        Thread.interrupted(); // an interrupt was for the agent; this thread is done with it
        AgentRunner.Outcome result = outcome;
        Instant at = now(); // when the run ended, also if the store takes a while to record it
        ended(execution, current -> switch (result) {
            case AgentRunner.Outcome.Completed completed -> current.complete(completed.summary(), at);
            case AgentRunner.Outcome.Escalated escalated -> {
                Transition paused = current.pause(escalated.question(), at, settings.escalationPolicy());
                yield paused instanceof Transition.Refused refused
                        ? current.fail("The agent asked a question that cannot be asked: " + refused.reason(), at)
                        : paused;
            }
            case AgentRunner.Outcome.Failed failed -> current.fail(failed.reason(), at);
            case AgentRunner.Outcome.Stopped stopped -> {
                if (execution.timedOut) {
                    yield current.fail(timedOutReason(current), at);
                }
                if (closed) {
                    yield null; // stays RUNNING: the next start continues it
                }
                yield current.fail("The agent stopped without finishing", at);
            }
        });
    }

    /**
     * The work of {@code execution} is over: applies {@code outcome} to the task if it is still
     * RUNNING (a null transition leaves it as it is), frees its worker, and starts what waits. A task
     * that went back to waiting is queued again. When the store cannot write the change, it is tried
     * again after a pause, as often as it takes; the worker stays taken until it is written.
     * {@code outcome} is applied anew to the task as stored at each try, so it names its time itself.
     */
    private void ended(Execution execution, Function<Task, Transition> outcome) {
        if (execution.timer != null) {
            execution.timer.cancel(false);
        }
        recordEnd(execution, outcome, 0);
    }

    private void recordEnd(Execution execution, Function<Task, Transition> outcome, int failures) {
        ReentrantLock taskLock = taskLock(execution.id);
        taskLock.lock();
        try {
            Optional<Task> current = store.find(execution.id);
            if (current.isPresent() && current.get().status() == TaskStatus.RUNNING) {
                Transition transition = outcome.apply(current.get());
                if (transition instanceof Transition.Applied applied) {
                    record(applied);
                    if (applied.task().status() == TaskStatus.DISPATCHED) {
                        requeue(applied.task());
                    }
                } else if (transition instanceof Transition.Refused refused) {
                    LOG.log(Level.WARNING, refused.message());
                }
            }
        } catch (StoreException e) {
            Duration pause = retryPause(failures);
            if (later(pause, () -> recordEnd(execution, outcome, failures + 1))) {
                LOG.log(Level.WARNING, "could not record the end of task " + execution.id + "; trying again in "
                        + pause.toMillis() + " ms", e);
                return;
            }
            // the task stays RUNNING on disk; the next start finds its exit status and records it
            LOG.log(Level.ERROR, "could not record the end of task " + execution.id + "; left for the next start", e);
        } finally {
            taskLock.unlock();
        }
        release(execution);
        pump();
    }

    /** Puts {@code task}, back to DISPATCHED, in the queue. */
    private void requeue(Task task) {
        lock.lock();
        try {
            enqueue(task);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} on a thread of its own after {@code pause}, unless the engine closes
     * first.
     *
     * @return false when the engine is closed and {@code action} will not run
     */
    private boolean later(Duration pause, Runnable action) {
        if (closed) {
            return false;
        }
        try {
            timers.schedule(() -> {
                if (!closed) {
                    Thread.ofVirtual().name("octo-retry").start(action);
                }
            }, pause.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The pause before the try that follows {@code failures} failed ones. */
    private static Duration retryPause(int failures) {
        Duration pause = FIRST_RETRY.multipliedBy(1L << Math.min(failures, 16));
        return pause.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause;
    }

    private void adopt(Task task) {
        ProcessRunner.Adoption adoption;
        try {
            adoption = processes.adopt(task.id(), task.process());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not adopt the process of task " + task.id(), e);
            adoption = new ProcessRunner.Adoption.Gone();
        }
        Execution execution = new Execution(task.id());
        lock.lock();
        try {
            running.put(task.id(), execution);
        } finally {
            lock.unlock();
        }
        switch (adoption) {
            case ProcessRunner.Adoption.StillRunning still -> {
                LOG.log(Level.INFO, "adopted the running process of task {0}", task.id());
                execution.process = still.process();
                // none was recorded, or the one that runs now is another (a wrapper's status writer)
                if (!task.process().equals(Optional.of(still.process().ref()))) {
                    try {
                        save(task.withProcess(still.process().ref(), now()));
                    } catch (StoreException e) {
                        LOG.log(Level.WARNING, "could not record the process of task " + task.id(), e);
                    }
                }
                scheduleTimeout(execution, task, task.startedAt().orElseGet(this::now));
                watch(execution, still.process());
            }
            case ProcessRunner.Adoption.Ended ended -> ended(execution, processOutcome(execution, ended.exit()));
            case ProcessRunner.Adoption.NeverStarted neverStarted -> {
                LOG.log(Level.INFO, "the command of task {0} never ran: it is queued again", task.id());
                Instant at = now();
                ended(execution, current -> current.requeue(at));
            }
            case ProcessRunner.Adoption.Gone gone -> {
                gone.problem().ifPresent(recoveryProblems::add);
                String reason = gone.problem().map(problem -> UNREADABLE_STATUS + problem).orElse(INTERRUPTED);
                Instant at = now();
                ended(execution, current -> current.fail(reason, at));
            }
        }
    }

    private void scheduleTimeout(Execution execution, Task task, Instant from) {
        Optional<Duration> limit = task.spec().timeout().applied();
        if (limit.isEmpty()) {
            return;
        }
        Duration left = Duration.between(now(), from.plus(limit.get()));
        long delayMillis = Math.max(0, left.toMillis());
        execution.timer = timers.schedule(() -> {
            LOG.log(Level.INFO, "task {0} timed out", execution.id);
            execution.timedOut = true;
            execution.stop();
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * Records a change a user asked for: done with {@code message}, or rejected when the store cannot
     * write it, in which case nothing changed and nobody is told. Call with the lock held.
     */
    private TaskOutcome recorded(Transition.Applied applied, String message) {
        try {
            record(applied);
            return new TaskOutcome.Done(applied.task(), message);
        } catch (StoreException e) {
            LOG.log(Level.ERROR, "could not record a change of task " + applied.taskId(), e);
            return new TaskOutcome.Rejected("Could not record the change of task " + applied.taskId() + ": "
                    + e.getMessage());
        }
    }

    /** Saves the changed task, then tells everyone. Call with the lock held. */
    private void record(Transition.Applied applied) {
        save(applied.task());
        notifications.publish(applied.event());
    }

    /** Saves {@code task}, keeping track of whether the store can write: its channels hear when not. */
    private void save(Task task) {
        try {
            store.save(task);
        } catch (StoreException e) {
            storeOutage.saveFailed(e);
            throw e;
        }
        storeOutage.saveSucceeded();
    }

    /**
     * Applies {@code change} to task {@code id} under the task's own lock, saves the result and tells
     * everyone; a refusal or a failed write is a {@link TaskOutcome.Rejected} that leaves the task as
     * it was.
     */
    private TaskOutcome change(TaskId id, Function<Task, Transition> change, String doneMessage) {
        ReentrantLock taskLock = taskLock(id);
        taskLock.lock();
        try {
            Optional<Task> found = store.find(id);
            if (found.isEmpty()) {
                return new TaskOutcome.Rejected(noSuchTask(id));
            }
            return switch (change.apply(found.get())) {
                case Transition.Refused refused -> new TaskOutcome.Rejected(refused.message());
                case Transition.Applied applied -> recorded(applied, doneMessage);
            };
        } finally {
            taskLock.unlock();
        }
    }

    /** The lock that orders the changes of task {@code id}: always taken before the pool's lock. */
    private ReentrantLock taskLock(TaskId id) {
        return taskLocks.forId(id);
    }

    private void enqueue(Task task) {
        // every task the engine takes on passes here: dispatched, answered, or queued again at start
        sinceStart.add(task.id());
        if (queued.add(task.id())) {
            queue.add(task);
        }
    }

    private void dequeue(TaskId id) {
        if (queued.remove(id)) {
            queue.removeIf(task -> task.id().equals(id));
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static String timedOutReason(Task task) {
        return "Timed out after " + task.spec().timeout().applied().map(Duration::toSeconds).orElse(0L) + " s";
    }

    private static String noSuchTask(TaskId id) {
        return "No task " + id + ". /tasks lists them.";
    }

    private static String followUpPrompt(Task old, String instruction) {
        StringBuilder prompt = new StringBuilder();
        prompt.append("This follows up task ").append(old.id()).append(", which ")
                .append(old.status().label()).append(".\n\n")
                .append(switch (old.kind()) {
                    case PROCESS -> "Its command was:\n";
                    case AGENT -> "Its objective was:\n";
                })
                .append(old.spec().summary()).append("\n\n");
        old.result().ifPresent(result -> prompt.append("Its result:\n").append(result).append("\n\n"));
        old.error().ifPresent(error -> prompt.append("Its error:\n").append(error).append("\n\n"));
        prompt.append("Your instruction:\n").append(instruction);
        return prompt.toString();
    }

    /** One task's work while it holds a worker. */
    private static final class Execution {
        final TaskId id;
        volatile RunningProcess process;
        volatile Thread agentThread;
        volatile boolean cancelRequested;
        volatile boolean timedOut;
        volatile ScheduledFuture<?> timer;

        Execution(TaskId id) {
            this.id = id;
        }

        void stop() {
            RunningProcess p = process;
            if (p != null) {
                p.terminate();
            }
            Thread t = agentThread;
            if (t != null) {
                t.interrupt();
            }
        }
    }
}
