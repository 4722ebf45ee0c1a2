package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.List;

/**
 * A piece of background work and where it is in its life. Immutable: every transition returns a
 * {@link Transition}, which holds either the changed task and its event or a refusal that leaves
 * this task as it was.
 *
 * <p>Every transition takes the instant it happens at; the domain never reads a clock. An instant
 * earlier than the task's last change (a clock that stepped back) is taken as that last change, so a
 * task's timestamps never go backwards.
 *
 * @param startedAt the first time the task started running; none again after a start whose command
 *     never ran was undone ({@link #requeue})
 * @param finishedAt when it reached a final status
 * @param result what a completed task produced
 * @param error why a failed task failed
 * @param question the question a paused task waits on
 * @param answer the last answer given to the task's questions
 * @param escalations how many questions the task has asked
 * @param attempt 1 for a new task, one more than its parent's for a retry
 * @param parentId the task this one retries or follows up
 * @param process the OS process of a running process task
 * @param usage an agent task's turns, tokens and running time so far; {@link AgentUsage#NONE} for a
 *     process task
 * @param updatedAt the last change of any kind
 */
public record Task(
        TaskId id,
        TaskSpec spec,
        TaskStatus status,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Optional<String> result,
        Optional<String> error,
        Optional<String> question,
        Optional<String> answer,
        int escalations,
        int attempt,
        Optional<TaskId> parentId,
        Optional<ProcessRef> process,
        AgentUsage usage,
        Instant updatedAt) {

    public Task {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(status, "status is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(result, "result is null");
        requireNonNull(error, "error is null");
        requireNonNull(question, "question is null");
        requireNonNull(answer, "answer is null");
        requireNonNull(parentId, "parentId is null");
        requireNonNull(process, "process is null");
        requireNonNull(usage, "usage is null");
        requireNonNull(updatedAt, "updatedAt is null");
        if (escalations < 0) {
            throw new IllegalArgumentException("escalations must not be negative, not " + escalations);
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, not " + attempt);
        }
        if (updatedAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("updatedAt " + updatedAt + " is before createdAt " + createdAt);
        }
        if (status == TaskStatus.PAUSED && question.isEmpty()) {
            throw new IllegalArgumentException("a paused task has a question");
        }
        if (status.isFinal() && finishedAt.isEmpty()) {
            throw new IllegalArgumentException("a " + status.label() + " task has a finishedAt");
        }
        if (process.isPresent() && spec.kind() != TaskKind.PROCESS) {
            throw new IllegalArgumentException("only a process task has a process");
        }
    }

    /** A new task, DISPATCHED at {@code at}, waiting for a worker. */
    public static Task dispatch(TaskId id, TaskSpec spec, Instant at) {
        return dispatch(id, spec, at, Optional.empty(), 1);
    }

    /**
     * A new task, DISPATCHED at {@code at}; {@code parentId} names the task it retries or follows
     * up, and {@code attempt} counts the tries of the same work.
     */
    public static Task dispatch(TaskId id, TaskSpec spec, Instant at, Optional<TaskId> parentId, int attempt) {
        return new Task(id, spec, TaskStatus.DISPATCHED, at, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, attempt,
                parentId, Optional.empty(), AgentUsage.NONE, at);
    }

    public TaskKind kind() {
        return spec.kind();
    }

    public boolean isFinal() {
        return status.isFinal();
    }

    /**
     * DISPATCHED or RESUMED to RUNNING: a worker has taken the task.
     *
     * @return the running task and a {@link TaskEvent.Started}, or a refusal from any other status
     */
    public Transition start(Instant at) {
        Instant when = notBeforeLastChange(at);
        return to(TaskAction.START, when, (running) -> new TaskEvent.Started(running, when),
                new Changes().startedAt(Optional.of(startedAt.orElse(when))));
    }

    /**
     * RUNNING to DISPATCHED: the start of a process task is undone because its command never ran
     * (Octo stopped between recording the start and launching the process), so it waits for a
     * worker again. It has no start and no process any more: its timeout counts from the start that
     * runs it. An agent task is refused: one found running goes on from its saved conversation.
     *
     * @return the dispatched task and a {@link TaskEvent.Dispatched}, or a refusal
     */
    public Transition requeue(Instant at) {
        if (!status.allows(TaskAction.REQUEUE)) {
            return refuse(TaskAction.REQUEUE, whyNot(TaskAction.REQUEUE));
        }
        if (kind() != TaskKind.PROCESS) {
            return refuse(TaskAction.REQUEUE, "only a process task whose command never ran is queued again");
        }
        Instant when = notBeforeLastChange(at);
        return to(TaskAction.REQUEUE, when, (waiting) -> new TaskEvent.Dispatched(waiting, when),
                new Changes().startedAt(Optional.empty()).process(Optional.empty()));
    }

    /**
     * RUNNING to PAUSED: an agent task asks the user {@code question} and waits for an answer. A
     * process task cannot pause; a blank or too long question is refused; the question past the
     * policy's limit fails the task instead.
     *
     * @return the paused task and a {@link TaskEvent.Paused}, the failed task and a
     *     {@link TaskEvent.Failed} when the limit is reached, or a refusal
     */
    public Transition pause(String question, Instant at, EscalationPolicy policy) {
        requireNonNull(policy, "policy is null");
        if (!status.allows(TaskAction.PAUSE)) {
            return refuse(TaskAction.PAUSE, whyNot(TaskAction.PAUSE));
        }
        if (kind() != TaskKind.AGENT) {
            return refuse(TaskAction.PAUSE, "only an agent task can ask a question");
        }
        Optional<String> problem = policy.checkQuestion(question);
        if (problem.isPresent()) {
            return refuse(TaskAction.PAUSE, problem.get());
        }
        if (!policy.allowsAnotherEscalation(escalations)) {
            return fail(policy.limitReachedReason(), at);
        }
        Instant when = notBeforeLastChange(at);
        return to(TaskAction.PAUSE, when, (paused) -> new TaskEvent.Paused(paused, when, question),
                new Changes().question(Optional.of(question)).escalations(escalations + 1));
    }

    /**
     * PAUSED to RESUMED: the user answered; the task waits for a worker to go on with the answer.
     * A blank or too long answer is refused.
     *
     * @return the resumed task and a {@link TaskEvent.Resumed}, or a refusal
     */
    public Transition resume(String answer, Instant at, EscalationPolicy policy) {
        requireNonNull(policy, "policy is null");
        if (!status.allows(TaskAction.RESUME)) {
            return refuse(TaskAction.RESUME, whyNot(TaskAction.RESUME));
        }
        Optional<String> problem = policy.checkAnswer(answer);
        if (problem.isPresent()) {
            return refuse(TaskAction.RESUME, problem.get());
        }
        Instant when = notBeforeLastChange(at);
        return to(TaskAction.RESUME, when, (resumed) -> new TaskEvent.Resumed(resumed, when, answer),
                new Changes().question(Optional.empty()).answer(Optional.of(answer)));
    }

    /**
     * RUNNING to COMPLETED with {@code result}.
     *
     * @return the completed task and a {@link TaskEvent.Completed}, or a refusal
     */
    public Transition complete(String result, Instant at) {
        requireNonNull(result, "result is null");
        Instant when = notBeforeLastChange(at);
        return to(TaskAction.COMPLETE, when, (done) -> new TaskEvent.Completed(done, when, result),
                new Changes().result(Optional.of(result)).finishedAt(when).process(Optional.empty()));
    }

    /**
     * RUNNING to FAILED because of {@code reason}.
     *
     * @return the failed task and a {@link TaskEvent.Failed}, or a refusal
     */
    public Transition fail(String reason, Instant at) {
        requireNonNull(reason, "reason is null");
        Instant when = notBeforeLastChange(at);
        return to(TaskAction.FAIL, when, (failed) -> new TaskEvent.Failed(failed, when, reason),
                new Changes().error(Optional.of(reason)).finishedAt(when).process(Optional.empty()));
    }

    /**
     * DISPATCHED, RUNNING, PAUSED or RESUMED to CANCELLED.
     *
     * @return the cancelled task and a {@link TaskEvent.Cancelled}, or a refusal from a final status
     */
    public Transition cancel(Instant at) {
        return cancel(at, Optional.empty());
    }

    /**
     * DISPATCHED, RUNNING, PAUSED or RESUMED to CANCELLED, asked for on the channel
     * {@code requestedOn} (empty when no channel asked).
     *
     * @return the cancelled task and a {@link TaskEvent.Cancelled} that names {@code requestedOn}, or
     *     a refusal from a final status
     */
    public Transition cancel(Instant at, Optional<String> requestedOn) {
        requireNonNull(requestedOn, "requestedOn is null");
        Instant when = notBeforeLastChange(at);
        return to(TaskAction.CANCEL, when, (cancelled) -> new TaskEvent.Cancelled(cancelled, when, requestedOn),
                new Changes().finishedAt(when).process(Optional.empty()));
    }

    /**
     * RUNNING to PAUSED on a question the task's work asked, or to FAILED when the question cannot
     * be asked (blank or too long): the work that asked it cannot be told so, and it has stopped. The
     * question past the policy's limit fails the task as {@link #pause} does.
     *
     * @return the paused or failed task and its event, or a refusal when the task cannot pause
     */
    public Transition ask(String question, Instant at, EscalationPolicy policy) {
        requireNonNull(policy, "policy is null");
        if (status.allows(TaskAction.PAUSE) && kind() == TaskKind.AGENT) {
            Optional<String> problem = policy.checkQuestion(question);
            if (problem.isPresent()) {
                return fail("The agent asked a question that cannot be asked: " + problem.get(), at);
            }
        }
        return pause(question, at, policy);
    }

    /**
     * RUNNING to COMPLETED or FAILED by how the command of this process task exited. Exit status 0
     * completes it with {@code stdoutTail}, also when its time limit ran out as it finished (the
     * stop would have made the status 143); any other status fails it with {@code failureReason},
     * or with {@link #timedOutReason()} when its time limit stopped it.
     *
     * @param timedOut whether the command was stopped because its time limit ran out
     * @return the completed or failed task and its event, or a refusal from any status but RUNNING
     */
    public Transition exited(int exitCode, String stdoutTail, String failureReason, boolean timedOut, Instant at) {
        requireNonNull(stdoutTail, "stdoutTail is null");
        requireNonNull(failureReason, "failureReason is null");
        if (exitCode == 0) {
            return complete(stdoutTail, at);
        }
        return fail(timedOut ? timedOutReason() : failureReason, at);
    }

    /** Why a task that its time limit stopped failed. */
    public String timedOutReason() {
        return "Timed out after " + spec.timeout().applied().map(Duration::toSeconds).orElse(0L) + " s";
    }

    /**
     * When the time limit of a run of this task that starts at {@code runStart} runs out, or empty
     * when it has none. A process task's limit counts from its first start, across restarts. An
     * agent task's counts its running time only: the run gets what its earlier runs left of the
     * limit ({@link AgentUsage#runningTime()}), so the time it waited paused on a question, or while
     * Octo was stopped, is not counted.
     */
    public Optional<Instant> deadline(Instant runStart) {
        requireNonNull(runStart, "runStart is null");
        return spec.timeout().applied().map(limit -> switch (kind()) {
            case PROCESS -> startedAt.orElse(runStart).plus(limit);
            case AGENT -> runStart.plus(limit.minus(usage.runningTime()));
        });
    }

    /**
     * Whether {@code work} may start from this task: only from a finished one. This task never
     * changes.
     *
     * @return empty when it may, or the refusal that names this task, its status and why not
     */
    public Optional<NewWork.Refused> refusesNewWork(NewWork work) {
        requireNonNull(work, "work is null");
        if (isFinal()) {
            return Optional.empty();
        }
        return Optional.of(new NewWork.Refused(id, status, work, work.whyNotUnfinished()));
    }

    /**
     * This running process task, now known to run as {@code ref}. Not a transition: the status
     * stays RUNNING.
     *
     * @throws IllegalStateException when the task is not a running process task
     */
    public Task withProcess(ProcessRef ref, Instant at) {
        requireNonNull(ref, "ref is null");
        if (kind() != TaskKind.PROCESS || status != TaskStatus.RUNNING) {
            throw new IllegalStateException("task " + id + " is a " + status.label() + " "
                    + kind().label() + " task; only a running process task has a process");
        }
        return new Task(id, spec, status, createdAt, startedAt, finishedAt, result, error, question,
                answer, escalations, attempt, parentId, Optional.of(ref), usage, notBeforeLastChange(at));
    }

    /**
     * This running agent task, having used {@code newUsage} so far (its turns and tokens, and its
     * running time up to {@code at}). Not a transition: the status stays RUNNING.
     *
     * @throws IllegalStateException when the task is not a running agent task
     */
    public Task withUsage(AgentUsage newUsage, Instant at) {
        requireNonNull(newUsage, "newUsage is null");
        if (kind() != TaskKind.AGENT || status != TaskStatus.RUNNING) {
            throw new IllegalStateException("task " + id + " is a " + status.label() + " "
                    + kind().label() + " task; only a running agent task records its usage");
        }
        return new Task(id, spec, status, createdAt, startedAt, finishedAt, result, error, question,
                answer, escalations, attempt, parentId, process, newUsage, notBeforeLastChange(at));
    }

    private Instant notBeforeLastChange(Instant at) {
        requireNonNull(at, "at is null");
        return at.isBefore(updatedAt) ? updatedAt : at;
    }

    private Transition to(TaskAction action, Instant when,
            java.util.function.Function<Task, TaskEvent> event, Changes changes) {
        Optional<TaskStatus> target = status.after(action);
        if (target.isEmpty()) {
            return refuse(action, whyNot(action));
        }
        Task changed = new Task(id, spec, target.get(), createdAt,
                changes.startedAt != null ? changes.startedAt : startedAt,
                changes.finishedAt != null ? Optional.of(changes.finishedAt) : finishedAt,
                changes.result != null ? changes.result : result,
                changes.error != null ? changes.error : error,
                changes.question != null ? changes.question : question,
                changes.answer != null ? changes.answer : answer,
                changes.escalations != null ? changes.escalations : escalations,
                attempt, parentId,
                changes.process != null ? changes.process : process,
                usage, when);
        return new Transition.Applied(changed, event.apply(changed));
    }

    private Transition.Refused refuse(TaskAction action, String reason) {
        return new Transition.Refused(id, status, action, reason);
    }

    private String whyNot(TaskAction action) {
        if (status.isFinal()) {
            return "it is already " + status.label() + ", and a finished task never changes";
        }
        List<String> verbs = status.allowedActions().stream().map(TaskAction::verb).toList();
        String allowed = verbs.size() == 1 ? verbs.get(0)
                : String.join(", ", verbs.subList(0, verbs.size() - 1)) + " or " + verbs.get(verbs.size() - 1);
        return "a " + status.label() + " task can only " + allowed;
    }

    /** The fields a transition changes; a null field is left as it was. */
    private static final class Changes {
        private Optional<Instant> startedAt;
        private Instant finishedAt;
        private Optional<String> result;
        private Optional<String> error;
        private Optional<String> question;
        private Optional<String> answer;
        private Integer escalations;
        private Optional<ProcessRef> process;

        Changes startedAt(Optional<Instant> value) {
            startedAt = value;
            return this;
        }

        Changes finishedAt(Instant value) {
            finishedAt = value;
            return this;
        }

        Changes result(Optional<String> value) {
            result = value;
            return this;
        }

        Changes error(Optional<String> value) {
            error = value;
            return this;
        }

        Changes question(Optional<String> value) {
            question = value;
            return this;
        }

        Changes answer(Optional<String> value) {
            answer = value;
            return this;
        }

        Changes escalations(int value) {
            escalations = value;
            return this;
        }

        Changes process(Optional<ProcessRef> value) {
            process = value;
            return this;
        }
    }
}
