package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskView;
import dev.octo.application.port.in.TaskQueries.Workload;
import dev.octo.application.port.out.AgentCatalogue;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.TaskIds;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.NewWork;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskSpec;
import dev.octo.domain.Timeout;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a user asks of tasks: dispatch new work, cancel, resume with an answer, retry, follow up.
 * Each request is checked, recorded through {@link TaskChanges} and handed to the {@link
 * WorkerPool}; a refusal is a {@link TaskOutcome.Rejected} that says why.
 */
final class TaskRequests {

    private static final System.Logger LOG = System.getLogger(TaskRequests.class.getName());

    private final TaskStore store;
    private final TaskIds ids;
    private final Clock clock;
    private final EngineSettings settings;
    private final TaskChanges changes;
    private final WorkerSlots slots;
    private final WorkerPool pool;
    private final Optional<AgentCatalogue> agents;
    private final Supplier<Optional<String>> agentsUnavailable;

    /**
     * {@code agents} empty accepts any agent name: the agent runner then answers for it.
     * {@code agentsUnavailable} says why no agent can run, when none can.
     */
    TaskRequests(TaskStore store, TaskIds ids, Clock clock, EngineSettings settings, TaskChanges changes,
            WorkerSlots slots, WorkerPool pool, Optional<AgentCatalogue> agents,
            Supplier<Optional<String>> agentsUnavailable) {
        this.store = requireNonNull(store, "store is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.slots = requireNonNull(slots, "slots is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.agentsUnavailable = requireNonNull(agentsUnavailable, "agentsUnavailable is null");
    }

    TaskOutcome dispatch(DispatchTask request) {
        requireNonNull(request, "request is null");
        if (request instanceof DispatchTask.Agent) {
            // before the agent's name is judged: without an LLM, no name would do
            Optional<String> unavailable = agentsUnavailable.get();
            if (unavailable.isPresent()) {
                return new TaskOutcome.Rejected(unavailable.get());
            }
        }
        TaskSpec spec;
        try {
            spec = specFor(request);
        } catch (IllegalArgumentException e) {
            return new TaskOutcome.Rejected(e.getMessage());
        }
        return dispatchNew(spec, Optional.empty(), 1, "Dispatched");
    }

    /** Cancels task {@code id}, asked on {@code channel} when one is named. */
    TaskOutcome cancel(TaskId id, Optional<String> channel) {
        TaskOutcome outcome = changes.change(id, task -> task.cancel(now(), channel), "Cancelled task " + id + ".");
        if (outcome instanceof TaskOutcome.Done) {
            slots.withdraw(id);
        }
        return outcome;
    }

    TaskOutcome resume(TaskId id, String answer) {
        requireNonNull(id, "id is null");
        TaskOutcome outcome = changes.change(id, task -> task.resume(answer, now(), settings.escalationPolicy()),
                "Task " + id + " goes on with your answer.");
        if (outcome instanceof TaskOutcome.Done resumed) {
            pool.add(resumed.task());
        }
        return outcome;
    }

    TaskOutcome retry(TaskId id) {
        requireNonNull(id, "id is null");
        TaskOutcome found = finishedTask(id, NewWork.RETRY);
        if (!(found instanceof TaskOutcome.Done(Task old, String unused))) {
            return found;
        }
        return dispatchNew(old.spec(), Optional.of(old.id()), old.attempt() + 1, "Retrying task " + id + " as");
    }

    TaskOutcome followUp(TaskId id, String instruction) {
        requireNonNull(id, "id is null");
        if (instruction == null || instruction.isBlank()) {
            return new TaskOutcome.Rejected("A follow-up of task " + id + " needs an instruction.");
        }
        TaskOutcome found = finishedTask(id, NewWork.FOLLOW_UP);
        if (!(found instanceof TaskOutcome.Done(Task old, String unused))) {
            return found;
        }
        String agentName = old.spec() instanceof AgentSpec agent ? agent.agentName() : AgentSpec.DEFAULT_AGENT;
        AgentSpec spec = new AgentSpec(followUpPrompt(old, instruction.strip()), agentName,
                old.spec().workingDirectory(), AgentSpec.DEFAULT_MAX_TURNS, Timeout.NONE);
        return dispatchNew(spec, Optional.of(old.id()), 1, "Following up task " + id + " with");
    }

    /** The task {@code id} to start {@code work} from, or why it cannot be: unknown, or the task refuses. */
    private TaskOutcome finishedTask(TaskId id, NewWork work) {
        Optional<Task> found = store.find(id);
        if (found.isEmpty()) {
            return new TaskOutcome.Rejected(TaskChanges.noSuchTask(id));
        }
        Task task = found.get();
        return task.refusesNewWork(work)
                .<TaskOutcome>map(refused -> new TaskOutcome.Rejected(refused.message()))
                .orElseGet(() -> new TaskOutcome.Done(task, ""));
    }

    private TaskOutcome dispatchNew(TaskSpec spec, Optional<TaskId> parent, int attempt, String verb) {
        if (pool.isClosed()) {
            return new TaskOutcome.Rejected("Octo is shutting down; nothing new is started");
        }
        if (spec instanceof AgentSpec) {
            // an agent task that could only fail is not made: the user is told at once what to set
            Optional<String> unavailable = agentsUnavailable.get();
            if (unavailable.isPresent()) {
                return new TaskOutcome.Rejected(unavailable.get());
            }
        }
        Task task = Task.dispatch(ids.next(), spec, now(), parent, attempt);
        try {
            // a new id: nobody else can change this task yet, so it is saved without a lock
            store.save(task);
        } catch (StoreException e) {
            LOG.log(Level.ERROR, "could not store new task " + task.id(), e);
            return new TaskOutcome.Rejected("Could not store the task: " + e.getMessage());
        }
        changes.publish(new TaskEvent.Dispatched(task, task.createdAt()));
        pool.add(task);
        return new TaskOutcome.Done(task, verb + " task " + task.id() + ": " + TaskView.abbreviate(spec.summary(), 80)
                + waitingNote(task.id()) + raisedTimeoutNote(spec));
    }

    /** Why task {@code id} has not started at once, or nothing when it started. */
    private String waitingNote(TaskId id) {
        Optional<Workload> waiting = slots.waitingOf(id);
        if (waiting.isEmpty()) {
            return "";
        }
        Workload workload = waiting.get();
        if (workload.running() >= workload.limit()) {
            return " (waiting: " + workload.running() + " running, limit " + workload.limit() + ")";
        }
        return " (waiting to start)";
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
                    throw new IllegalArgumentException("A process task needs a command.");
                }
                yield new ProcessSpec(process.command(),
                        process.workingDirectory().orElse(settings.workingDirectory()), process.environment(),
                        settings.timeoutPolicy().forCommand(process.command(), process.timeout()));
            }
            case DispatchTask.Agent agent -> {
                if (agent.prompt().isBlank()) {
                    throw new IllegalArgumentException("An agent task needs a prompt");
                }
                if (agent.maxTurns().isPresent() && agent.maxTurns().get() < 1) {
                    throw new IllegalArgumentException("max_turns must be at least 1, not " + agent.maxTurns().get());
                }
                if (agent.maxTokens().isPresent() && agent.maxTokens().get() < 1) {
                    throw new IllegalArgumentException("max_tokens must be at least 1, not " + agent.maxTokens().get());
                }
                String agentName = agent.agentName().map(String::strip).filter(name -> !name.isEmpty())
                        .orElse(AgentSpec.DEFAULT_AGENT);
                checkKnown(agentName);
                yield new AgentSpec(agent.prompt(), agentName,
                        agent.workingDirectory().orElse(settings.workingDirectory()),
                        agent.maxTurns().orElse(AgentSpec.DEFAULT_MAX_TURNS),
                        settings.timeoutPolicy().forAgent(agent.timeout()), agent.maxTokens());
            }
        };
    }

    /** Refuses an agent name the catalogue does not know, naming those it knows. */
    private void checkKnown(String agentName) {
        if (agents.isEmpty()) {
            return;
        }
        List<String> known = agents.get().agentNames();
        if (!known.contains(agentName)) {
            throw new IllegalArgumentException("Unknown agent '" + TaskView.abbreviate(agentName, 40)
                    + "'. Known agents: " + String.join(", ", known) + ".");
        }
    }

    private Instant now() {
        return clock.instant();
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
}
