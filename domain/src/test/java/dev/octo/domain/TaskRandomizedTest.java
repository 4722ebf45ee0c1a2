package dev.octo.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long random sequences of actions on a pool of tasks, checking after every one the invariants no
 * transition may break. The draws come from {@link TestSeed}; a failure names the seed and the
 * step to repeat it.
 */
@ExtendWith(TestSeed.class)
class TaskRandomizedTest {

    private static final int STEPS = 100_000;
    private static final int POOL_SIZE = 40;

    /** A tight policy so the escalation limit and the text length limit are reached often. */
    private static final EscalationPolicy TIGHT = new EscalationPolicy(2, 20);
    private static final List<EscalationPolicy> POLICIES = List.of(EscalationPolicy.DEFAULT, TIGHT,
            new EscalationPolicy(0, 1));

    private final SplittableRandom random = new SplittableRandom(TestSeed.value());
    private final Set<TaskId> ids = new HashSet<>();
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    /** A task of the pool and the policy it is always asked under. */
    private record Slot(Task task, EscalationPolicy policy) {
    }

    @Test
    void noSequenceOfActionsBreaksATaskInvariant() {
        List<Slot> pool = new ArrayList<>();
        for (int i = 0; i < POOL_SIZE; i++) {
            pool.add(newSlot());
        }
        EnumSet<TaskStatus> seen = EnumSet.noneOf(TaskStatus.class);
        int applied = 0;
        int escalationFailures = 0;
        int requeues = 0;

        for (int step = 0; step < STEPS; step++) {
            int index = random.nextInt(pool.size());
            Slot slot = pool.get(index);
            Task before = slot.task();
            Task copy = copyOf(before);
            TaskAction action = TaskAction.values()[random.nextInt(TaskAction.values().length)];
            Instant at = nextInstant();
            String text = randomText(slot.policy());
            String description = action.verb() + " " + before.kind().label() + " task " + before.id()
                    + " (" + before.status().label() + ", " + before.escalations() + " escalations) at " + at
                    + " with text " + describe(text);

            Task after;
            try {
                Transition transition = perform(before, action, at, text, slot.policy());
                after = check(before, copy, action, at, text, slot.policy(), transition);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("step " + step + ": " + description + ": " + e.getMessage(), e);
            }
            if (after != before) {
                applied++;
                if (action == TaskAction.PAUSE && after.status() == TaskStatus.FAILED) {
                    escalationFailures++;
                }
                if (action == TaskAction.REQUEUE) {
                    requeues++;
                }
            }
            seen.add(after.status());
            // a finished task stays in the pool a while, so it keeps being asked to change
            pool.set(index, after.isFinal() && random.nextInt(4) == 0 ? newSlot() : new Slot(after, slot.policy()));
        }

        // the walk must have gone everywhere, or the checks above proved little
        assertThat(seen).as("statuses reached").containsExactlyInAnyOrder(TaskStatus.values());
        assertThat(applied).as("applied transitions").isGreaterThan(STEPS / 10);
        assertThat(escalationFailures).as("tasks failed by the escalation limit").isPositive();
        assertThat(requeues).as("process tasks queued again").isPositive();
    }

    private Slot newSlot() {
        TaskId id = TaskId.random(random, ids::contains);
        ids.add(id);
        TaskSpec spec = random.nextBoolean()
                ? ProcessSpec.of("make test", Tasks.WORKDIR)
                : AgentSpec.of("Write the changelog", Tasks.WORKDIR);
        return new Slot(Task.dispatch(id, spec, nextInstant()), POLICIES.get(random.nextInt(POLICIES.size())));
    }

    /** Mostly forward; one time in ten the clock steps back by up to two minutes. */
    private Instant nextInstant() {
        if (random.nextInt(10) == 0) {
            now = now.minus(Duration.ofMillis(random.nextInt(120_000)));
        } else {
            now = now.plus(Duration.ofMillis(random.nextInt(60_000)));
        }
        return now;
    }

    /** A question, answer, result or reason: usually fine, sometimes empty, blank, at or past the limit. */
    private String randomText(EscalationPolicy policy) {
        int limit = policy.maxTextLength();
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> " \t\n ";
            case 2 -> "x".repeat(limit);
            case 3 -> "y".repeat(limit + 1 + random.nextInt(10));
            default -> "w".repeat(1 + random.nextInt(Math.min(limit, 15)));
        };
    }

    private static Transition perform(Task task, TaskAction action, Instant at, String text, EscalationPolicy policy) {
        return switch (action) {
            case START -> task.start(at);
            case PAUSE -> task.pause(text, at, policy);
            case RESUME -> task.resume(text, at, policy);
            case COMPLETE -> task.complete(text, at);
            case FAIL -> task.fail(text, at);
            case CANCEL -> task.cancel(at);
            case REQUEUE -> task.requeue(at);
        };
    }

    /** Checks one transition against every invariant; returns the task as it is after it. */
    private static Task check(Task before, Task copy, TaskAction action, Instant at, String text,
            EscalationPolicy policy, Transition transition) {
        assertThat(transition.taskId()).isEqualTo(before.id());
        Optional<TaskStatus> allowed = before.status().after(action);
        boolean textOk = (action != TaskAction.PAUSE && action != TaskAction.RESUME)
                || (!text.isBlank() && text.length() <= policy.maxTextLength());
        boolean kindOk = (action != TaskAction.PAUSE || before.kind() == TaskKind.AGENT)
                && (action != TaskAction.REQUEUE || before.kind() == TaskKind.PROCESS);
        boolean limitReached = action == TaskAction.PAUSE && !policy.allowsAnotherEscalation(before.escalations());

        Task after = switch (transition) {
            case Transition.Refused refused -> {
                assertThat(before).as("a refusal leaves the task unchanged").isEqualTo(copy);
                assertThat(allowed.isEmpty() || !textOk || !kindOk)
                        .as("refused although allowed: %s", refused.reason()).isTrue();
                assertThat(refused.status()).isEqualTo(before.status());
                assertThat(refused.action()).isEqualTo(action);
                assertThat(refused.reason()).isNotBlank();
                assertThat(refused.message()).contains(before.id().value(), action.verb(),
                        before.status().label(), refused.reason());
                yield before;
            }
            case Transition.Applied applied -> {
                Task changed = applied.task();
                assertThat(before.isFinal()).as("a final task changed").isFalse();
                assertThat(allowed).as("applied although the table refuses it").isPresent();
                assertThat(textOk && kindOk).as("applied with a bad text or kind").isTrue();
                TaskStatus expected = limitReached ? TaskStatus.FAILED : allowed.get();
                assertThat(changed.status()).isEqualTo(expected);
                assertThat(applied.event().task()).isEqualTo(changed);
                assertThat(applied.event().at()).isEqualTo(changed.updatedAt());
                assertThat(changed.id()).isEqualTo(before.id());
                assertThat(changed.spec()).isEqualTo(before.spec());
                assertThat(changed.attempt()).isEqualTo(before.attempt());
                assertThat(changed.parentId()).isEqualTo(before.parentId());
                // an instant in the past is taken as the last change; one in the future is kept
                Instant expectedAt = at.isBefore(before.updatedAt()) ? before.updatedAt() : at;
                assertThat(changed.updatedAt()).isEqualTo(expectedAt);
                assertThat(changed.escalations())
                        .isEqualTo(expected == TaskStatus.PAUSED ? before.escalations() + 1 : before.escalations());
                yield changed;
            }
        };

        assertThat(EnumSet.allOf(TaskStatus.class)).contains(after.status());
        assertThat(after.createdAt()).isEqualTo(before.createdAt());
        assertThat(after.updatedAt()).isAfterOrEqualTo(before.updatedAt()).isAfterOrEqualTo(after.createdAt());
        after.startedAt().ifPresent(started -> {
            assertThat(started).isAfterOrEqualTo(after.createdAt()).isBeforeOrEqualTo(after.updatedAt());
            before.startedAt().ifPresent(first -> assertThat(started).as("the first start stays").isEqualTo(first));
        });
        after.finishedAt().ifPresent(finished -> {
            assertThat(finished).isAfterOrEqualTo(after.createdAt()).isBeforeOrEqualTo(after.updatedAt());
            after.startedAt().ifPresent(started -> assertThat(finished).isAfterOrEqualTo(started));
        });
        assertThat(after.finishedAt().isPresent()).isEqualTo(after.isFinal());
        if (after.status() == TaskStatus.DISPATCHED) {
            // new, or queued again because its command never ran: it has not started
            assertThat(after.startedAt()).isEmpty();
            assertThat(after.process()).isEmpty();
        }
        switch (after.status()) {
            case PAUSED -> assertThat(after.question()).isPresent();
            case DISPATCHED, RUNNING, RESUMED -> assertThat(after.question()).as("an open question").isEmpty();
            case COMPLETED, FAILED, CANCELLED -> {
                // a task cancelled while paused keeps the question it was waiting on
            }
        }
        assertThat(after.escalations()).isBetween(0, policy.maxEscalations());
        if (after.kind() == TaskKind.PROCESS) {
            assertThat(after.escalations()).isZero();
            assertThat(after.status()).isNotIn(TaskStatus.PAUSED, TaskStatus.RESUMED);
        }
        if (after.isFinal()) {
            assertThat(after.process()).isEmpty();
        }
        switch (after.status()) {
            case COMPLETED -> assertThat(after.result()).isPresent();
            case FAILED -> assertThat(after.error()).isPresent();
            case DISPATCHED, RUNNING, PAUSED, RESUMED, CANCELLED -> {
                // no text is owed
            }
        }
        return after;
    }

    private static Task copyOf(Task task) {
        return new Task(task.id(), task.spec(), task.status(), task.createdAt(), task.startedAt(),
                task.finishedAt(), task.result(), task.error(), task.question(), task.answer(),
                task.escalations(), task.attempt(), task.parentId(), task.process(), task.usage(), task.updatedAt());
    }

    private static String describe(String text) {
        return text.length() > 20 ? "'" + text.substring(0, 8) + "...' (" + text.length() + " chars)" : "'" + text + "'";
    }
}
