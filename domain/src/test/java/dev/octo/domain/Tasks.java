package dev.octo.domain;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Builders of tasks in every status. Each reaches its status through the real transitions, so a
 * builder can never make a task the domain itself would not make.
 */
final class Tasks {

    static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    static final Path WORKDIR = Path.of("/srv/work");
    static final TaskId PROCESS_ID = TaskId.of("proc0001");
    static final TaskId AGENT_ID = TaskId.of("agnt0001");

    private Tasks() {
    }

    /** {@code T0} plus {@code minutes} minutes: every builder step happens a minute after the last. */
    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static ProcessSpec aProcessSpec() {
        return ProcessSpec.of("make build", WORKDIR);
    }

    static AgentSpec anAgentSpec() {
        return AgentSpec.of("Tidy up the README", WORKDIR);
    }

    static Task aDispatchedProcessTask() {
        return Task.dispatch(PROCESS_ID, aProcessSpec(), at(0));
    }

    static Task aDispatchedAgentTask() {
        return Task.dispatch(AGENT_ID, anAgentSpec(), at(0));
    }

    static Task aRunningProcessTask() {
        return applied(aDispatchedProcessTask().start(at(1)));
    }

    static Task aRunningAgentTask() {
        return applied(aDispatchedAgentTask().start(at(1)));
    }

    static Task aPausedAgentTask() {
        return applied(aRunningAgentTask().pause("Which branch?", at(2), EscalationPolicy.DEFAULT));
    }

    static Task aResumedAgentTask() {
        return applied(aPausedAgentTask().resume("main", at(3), EscalationPolicy.DEFAULT));
    }

    static Task aCompletedProcessTask() {
        return applied(aRunningProcessTask().complete("exit 0", at(4)));
    }

    static Task aFailedProcessTask() {
        return applied(aRunningProcessTask().fail("exit 2", at(4)));
    }

    static Task aCancelledProcessTask() {
        return applied(aRunningProcessTask().cancel(at(4)));
    }

    static Task aCompletedAgentTask() {
        return applied(aRunningAgentTask().complete("README tidied", at(4)));
    }

    static Task aFailedAgentTask() {
        return applied(aRunningAgentTask().fail("max turns reached", at(4)));
    }

    static Task aCancelledAgentTask() {
        return applied(aPausedAgentTask().cancel(at(4)));
    }

    /** An agent task in {@code status}; an agent task can reach every status. */
    static Task anAgentTaskIn(TaskStatus status) {
        return switch (status) {
            case DISPATCHED -> aDispatchedAgentTask();
            case RUNNING -> aRunningAgentTask();
            case PAUSED -> aPausedAgentTask();
            case RESUMED -> aResumedAgentTask();
            case COMPLETED -> aCompletedAgentTask();
            case FAILED -> aFailedAgentTask();
            case CANCELLED -> aCancelledAgentTask();
        };
    }

    /** The task a transition made; fails the test when it was refused. */
    static Task applied(Transition transition) {
        return switch (transition) {
            case Transition.Applied applied -> applied.task();
            case Transition.Refused refused -> throw new AssertionError("expected the transition to be applied, but: "
                    + refused.message());
        };
    }

    /** The refusal; fails the test when the transition was applied. */
    static Transition.Refused refused(Transition transition) {
        return switch (transition) {
            case Transition.Applied applied -> throw new AssertionError(
                    "expected a refusal, but the task became " + applied.task().status().label());
            case Transition.Refused refused -> refused;
        };
    }

    /**
     * Asks {@code task} to do {@code action} at {@code at}, with valid texts for the actions that need
     * one.
     */
    static Transition perform(Task task, TaskAction action, Instant at) {
        return switch (action) {
            case START -> task.start(at);
            case PAUSE -> task.pause("Which branch?", at, EscalationPolicy.DEFAULT);
            case RESUME -> task.resume("main", at, EscalationPolicy.DEFAULT);
            case COMPLETE -> task.complete("done", at);
            case FAIL -> task.fail("broken", at);
            case CANCEL -> task.cancel(at);
            case REQUEUE -> task.requeue(at);
        };
    }
}
