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
import dev.octo.application.port.out.AgentCatalogue;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.Notifier;
import dev.octo.application.port.out.OutputChunk;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.TaskIds;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The task engine, the heart of Octo: takes requests for background work, runs at most {@link
 * EngineSettings#maxConcurrent()} tasks at once (the rest wait, oldest first), records every change
 * in the {@link TaskStore} before telling anyone, and tells every {@link Notifier}. It serves every
 * use case of {@code port.in} and wires the parts that do the work:
 * <ul>
 *   <li>{@link TaskRequests}: dispatch, cancel, resume, retry and follow-up;
 *   <li>{@link EngineQueries}: the {@link TaskQueries};
 *   <li>{@link TaskCleaner}: the removal of finished tasks;
 *   <li>{@link WorkerPool} and its {@link WorkerSlots}: the queue and the workers;
 *   <li>{@link ProcessExecution} and {@link AgentExecution}, one {@link Execution} per task kind;
 *   <li>{@link RestartRecovery}: what happens at start to the tasks an earlier instance left;
 *   <li>{@link TaskChanges}: where a task is read, changed, saved and told of, under its lock.
 * </ul>
 *
 * <p>A change the engine makes on its own (a task starts, a task ends) that the store cannot write
 * (a full disk) is tried again, with growing pauses, until it is written; only then is it told. A
 * task whose end waits to be written keeps its worker; a start that could not be written holds the
 * queue back until it is tried again. Every channel is told once that Octo cannot write its state,
 * and once when it can again.
 *
 * <p>Stopping the engine ({@link #close()}) never stops a process task: its process runs on and the
 * next start adopts it. Agent tasks stop after their current turn and continue at the next start.
 */
public final class TaskEngine implements DispatchTaskUseCase, CancelTaskUseCase, ResumeTaskUseCase,
        RetryTaskUseCase, FollowUpTaskUseCase, CleanTasksUseCase, TaskQueries, HoldQueueUseCase, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TaskEngine.class.getName());
    /** How long {@link #start()} and the waits wait for the channels to hear what they are told. */
    static final Duration NOTICES_LIMIT = Duration.ofSeconds(5);

    private final EngineSettings settings;
    private final ProcessRunner processes;
    private final AgentRunner agents;
    private final Clock clock;
    private final NotificationDispatcher notifications = new NotificationDispatcher();
    private final TaskChanges changes;
    private final EngineTimers timers;
    private final WorkerSlots slots;
    private final WorkerPool pool;
    private final RestartRecovery recovery;
    private final TaskRequests requests;
    private final TaskCleaner cleaner;
    private final EngineQueries queries;
    private final TaskStore store;

    /**
     * An engine whose agent tasks keep no conversation in a {@link ConversationStore} (one that runs
     * process tasks only, or a test's): {@link #clean} then has no conversation to remove.
     */
    public TaskEngine(TaskStore store, TaskIds ids, Clock clock, ProcessRunner processes, AgentRunner agents,
            EngineSettings settings) {
        this(store, Optional.empty(), Optional.empty(), ids, clock, processes, agents, settings);
    }

    /**
     * An engine whose agent runner keeps each agent task's conversation in {@code conversations};
     * it accepts any agent name.
     */
    public TaskEngine(TaskStore store, ConversationStore conversations, TaskIds ids, Clock clock,
            ProcessRunner processes, AgentRunner agents, EngineSettings settings) {
        this(store, Optional.of(requireNonNull(conversations, "conversations is null")), Optional.empty(), ids,
                clock, processes, agents, settings);
    }

    /**
     * An engine whose agent runner keeps each agent task's conversation in {@code conversations},
     * and which refuses to dispatch an agent that {@code catalogue} does not know.
     */
    public TaskEngine(TaskStore store, ConversationStore conversations, AgentCatalogue catalogue, TaskIds ids,
            Clock clock, ProcessRunner processes, AgentRunner agents, EngineSettings settings) {
        this(store, Optional.of(requireNonNull(conversations, "conversations is null")),
                Optional.of(requireNonNull(catalogue, "catalogue is null")), ids, clock, processes, agents, settings);
    }

    private TaskEngine(TaskStore store, Optional<ConversationStore> conversations, Optional<AgentCatalogue> catalogue,
            TaskIds ids, Clock clock, ProcessRunner processes, AgentRunner agents, EngineSettings settings) {
        this.store = requireNonNull(store, "store is null");
        requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.processes = requireNonNull(processes, "processes is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.settings = requireNonNull(settings, "settings is null");
        AtomicBoolean closed = new AtomicBoolean();
        this.changes = new TaskChanges(store, notifications);
        this.timers = new EngineTimers(closed);
        this.slots = new WorkerSlots(settings.maxConcurrent(), closed);
        this.pool = new WorkerPool(slots, changes, timers, clock, this::executionOf);
        this.recovery = new RestartRecovery(store, processes, slots, pool, clock, this::processExecutionOf);
        this.requests = new TaskRequests(store, ids, clock, settings, changes, slots, pool, catalogue,
                agents::unavailable);
        this.cleaner = new TaskCleaner(store, conversations, processes, changes, slots, clock);
        this.queries = new EngineQueries(store, processes, slots, notifications, recovery::problems);
    }

    /** The work of {@code task}, by its kind. */
    private Execution executionOf(Task task) {
        return switch (task.kind()) {
            case PROCESS -> processExecutionOf(task);
            case AGENT -> new AgentExecution(task, changes, pool, timers, clock, agents, settings.escalationPolicy());
        };
    }

    private ProcessExecution processExecutionOf(Task task) {
        return new ProcessExecution(task, changes, pool, timers, clock, processes, settings.claudeRule());
    }

    /** Adds a channel that hears of every task event from now on. */
    public void register(Notifier notifier) {
        notifications.register(notifier);
    }

    public EngineSettings settings() {
        return settings;
    }

    /**
     * Picks up the tasks an earlier instance left (see {@link RestartRecovery}) and starts running
     * queued work. Call once, after registering the notifiers that should hear of what recovery
     * finds. Returns once they heard of it (or after a few seconds), so that a front end shows it
     * before the answer to a first command.
     */
    public void start() {
        recovery.run();
        if (!notifications.flush(NOTICES_LIMIT)) {
            LOG.log(Level.WARNING, "the channels did not hear of what the start found within {0} s",
                    NOTICES_LIMIT.toSeconds());
        }
    }

    // ---- use cases ------------------------------------------------------------------------------

    @Override
    public TaskOutcome dispatch(DispatchTask request) {
        return requests.dispatch(request);
    }

    @Override
    public TaskOutcome cancel(TaskId id) {
        requireNonNull(id, "id is null");
        return requests.cancel(id, Optional.empty());
    }

    @Override
    public TaskOutcome cancel(TaskId id, String channel) {
        requireNonNull(id, "id is null");
        requireNonNull(channel, "channel is null");
        return requests.cancel(id, Optional.of(channel));
    }

    @Override
    public TaskOutcome resume(TaskId id, String answer) {
        return requests.resume(id, answer);
    }

    @Override
    public TaskOutcome retry(TaskId id) {
        return requests.retry(id);
    }

    @Override
    public TaskOutcome followUp(TaskId id, String instruction) {
        return requests.followUp(id, instruction);
    }

    @Override
    public CleanOutcome clean(CleanTasks request) {
        return cleaner.clean(request);
    }

    @Override
    public void holdQueue() {
        slots.holdQueue();
    }

    @Override
    public void releaseQueue() {
        pool.releaseQueue();
    }

    // ---- queries --------------------------------------------------------------------------------

    @Override
    public List<TaskEntry> list(Optional<TaskStatus> status) {
        return queries.list(status);
    }

    @Override
    public Optional<Task> find(TaskId id) {
        return queries.find(id);
    }

    @Override
    public List<Task> listSinceStart() {
        return queries.listSinceStart();
    }

    @Override
    public Resolution resolve(String idOrPrefix) {
        return queries.resolve(idOrPrefix);
    }

    @Override
    public String outputTail(TaskId id, int maxLines) {
        return queries.outputTail(id, maxLines);
    }

    @Override
    public List<Path> logFiles(TaskId id) {
        return queries.logFiles(id);
    }

    @Override
    public Optional<Integer> exitCode(TaskId id) {
        return queries.exitCode(id);
    }

    @Override
    public OutputChunk outputSince(TaskId id, OutputChunk.Position from, int maxBytes) {
        return queries.outputSince(id, from, maxBytes);
    }

    @Override
    public Workload workload() {
        return queries.workload();
    }

    @Override
    public Optional<Task> awaitFinal(TaskId id, Duration limit) throws InterruptedException {
        return queries.awaitFinal(id, limit);
    }

    @Override
    public boolean awaitAllSettled(Duration limit) throws InterruptedException {
        return queries.awaitAllSettled(limit);
    }

    @Override
    public List<String> loadProblems() {
        return queries.loadProblems();
    }

    @Override
    public Map<TaskStatus, Integer> unfinishedCounts() {
        return queries.unfinishedCounts();
    }

    @Override
    public List<Task> runningProcessTasks() {
        return queries.runningProcessTasks();
    }

    /** How many tasks are RUNNING (holding a worker). */
    public int runningCount() {
        return slots.workload().running();
    }

    /**
     * Blocks until the work of every task cancelled while it ran has really ended (a process group
     * gets TERM, then KILL after a grace), or {@code limit} has passed.
     *
     * @return whether all of it ended in time
     */
    public boolean awaitCancelledStopped(Duration limit) throws InterruptedException {
        return slots.awaitCancelledStopped(limit);
    }

    /**
     * Stops taking work. Process tasks keep running for the next start to adopt; agent tasks are
     * interrupted and stop after their current turn, staying RUNNING so that the next start goes on
     * from their saved conversation. Waits a few seconds for agents to save, and for process tasks
     * whose start is under way to record their process; then lets the store write down the states it
     * kept in memory only, and what speeds up the next start ({@link TaskStore#checkpoint}).
     */
    @Override
    public void close() {
        Optional<List<Thread>> agentThreads = slots.close();
        if (agentThreads.isEmpty()) {
            return;
        }
        for (Thread agentThread : agentThreads.get()) {
            try {
                agentThread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timers.shutdown();
        notifications.close();
        store.checkpoint();
    }
}
