package dev.octo.domain;

import static dev.octo.domain.Tasks.anAgentTaskIn;
import static dev.octo.domain.Tasks.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TaskStatusTransitionTest {

    /**
     * Every (status, action) pair and where it leads; {@code -} means refused. Written out by hand
     * from the design's lifecycle drawing, never computed from {@link TaskStatus#after}.
     */
    static final String TABLE = """
            DISPATCHED, START,    RUNNING
            DISPATCHED, PAUSE,    -
            DISPATCHED, RESUME,   -
            DISPATCHED, COMPLETE, -
            DISPATCHED, FAIL,     -
            DISPATCHED, CANCEL,   CANCELLED
            DISPATCHED, REQUEUE,  -
            RUNNING,    START,    -
            RUNNING,    PAUSE,    PAUSED
            RUNNING,    RESUME,   -
            RUNNING,    COMPLETE, COMPLETED
            RUNNING,    FAIL,     FAILED
            RUNNING,    CANCEL,   CANCELLED
            RUNNING,    REQUEUE,  DISPATCHED
            PAUSED,     START,    -
            PAUSED,     PAUSE,    -
            PAUSED,     RESUME,   RESUMED
            PAUSED,     COMPLETE, -
            PAUSED,     FAIL,     -
            PAUSED,     CANCEL,   CANCELLED
            PAUSED,     REQUEUE,  -
            RESUMED,    START,    RUNNING
            RESUMED,    PAUSE,    -
            RESUMED,    RESUME,   -
            RESUMED,    COMPLETE, -
            RESUMED,    FAIL,     -
            RESUMED,    CANCEL,   CANCELLED
            RESUMED,    REQUEUE,  -
            COMPLETED,  START,    -
            COMPLETED,  PAUSE,    -
            COMPLETED,  RESUME,   -
            COMPLETED,  COMPLETE, -
            COMPLETED,  FAIL,     -
            COMPLETED,  CANCEL,   -
            COMPLETED,  REQUEUE,  -
            FAILED,     START,    -
            FAILED,     PAUSE,    -
            FAILED,     RESUME,   -
            FAILED,     COMPLETE, -
            FAILED,     FAIL,     -
            FAILED,     CANCEL,   -
            FAILED,     REQUEUE,  -
            CANCELLED,  START,    -
            CANCELLED,  PAUSE,    -
            CANCELLED,  RESUME,   -
            CANCELLED,  COMPLETE, -
            CANCELLED,  FAIL,     -
            CANCELLED,  CANCEL,   -
            CANCELLED,  REQUEUE,  -
            """;

    private static final String REFUSED = "-";

    @Test
    void theTableNamesEveryStatusAndActionPairExactlyOnce() {
        List<String> pairs = new ArrayList<>();
        for (String row : TABLE.strip().split("\n")) {
            String[] cells = row.split(",");
            pairs.add(TaskStatus.valueOf(cells[0].strip()) + "/" + TaskAction.valueOf(cells[1].strip()));
        }
        Set<String> every = new HashSet<>();
        for (TaskStatus status : TaskStatus.values()) {
            for (TaskAction action : TaskAction.values()) {
                every.add(status + "/" + action);
            }
        }

        assertThat(pairs).hasSize(TaskStatus.values().length * TaskAction.values().length).hasSize(49)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(every);
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @CsvSource(textBlock = TABLE)
    void theStatusAfterAnActionIsTheOneInTheTable(TaskStatus status, TaskAction action, String expected) {
        assertThat(status.after(action)).isEqualTo(target(expected));
        assertThat(status.allows(action)).isEqualTo(!expected.equals(REFUSED));
        assertThat(status.allowedActions().contains(action)).isEqualTo(!expected.equals(REFUSED));
    }

    /** An agent task found running goes on from its conversation, so it is never queued again. */
    static Stream<Arguments> agentTaskRows() {
        List<Arguments> rows = new ArrayList<>();
        for (String row : TABLE.strip().split("\n")) {
            String[] cells = row.split(",");
            TaskStatus status = TaskStatus.valueOf(cells[0].strip());
            TaskAction action = TaskAction.valueOf(cells[1].strip());
            rows.add(Arguments.of(status, action, action == TaskAction.REQUEUE ? REFUSED : cells[2].strip()));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "agent task {0} --{1}--> {2}")
    @MethodSource("agentTaskRows")
    void anAgentTaskMovesAsTheTableSaysButIsNeverQueuedAgain(TaskStatus status, TaskAction action, String expected) {
        Task task = anAgentTaskIn(status);
        assertThat(task.status()).as("the builder's status").isEqualTo(status);

        Transition transition = Tasks.perform(task, action, at(10));

        assertTransition(task, action, target(expected), transition);
    }

    /** A process task never pauses, so it can only reach the statuses a pause does not lead through. */
    static Stream<Arguments> processTaskRows() {
        List<Arguments> rows = new ArrayList<>();
        for (String row : TABLE.strip().split("\n")) {
            String[] cells = row.split(",");
            TaskStatus status = TaskStatus.valueOf(cells[0].strip());
            TaskAction action = TaskAction.valueOf(cells[1].strip());
            String expected = cells[2].strip();
            if (status == TaskStatus.PAUSED || status == TaskStatus.RESUMED) {
                continue;
            }
            if (action == TaskAction.PAUSE) {
                expected = REFUSED;
            }
            rows.add(Arguments.of(status, action, expected));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "process task {0} --{1}--> {2}")
    @MethodSource("processTaskRows")
    void aProcessTaskMovesAsTheTableSaysButNeverPauses(TaskStatus status, TaskAction action, String expected) {
        Task task = aProcessTaskIn(status);
        assertThat(task.status()).as("the builder's status").isEqualTo(status);

        Transition transition = Tasks.perform(task, action, at(10));

        assertTransition(task, action, target(expected), transition);
    }

    @Test
    void processTaskRowsCoverEveryStatusAProcessTaskCanReach() {
        assertThat(processTaskRows()).hasSize(5 * 7);
    }

    @Test
    void cancellingAFinishedTaskIsRefusedWithASentenceThatSaysWhy() {
        Transition.Refused refused = Tasks.refused(Tasks.aCompletedAgentTask().cancel(at(10)));

        assertThat(refused.message()).isEqualTo(
                "Cannot cancel task agnt0001 (completed): it is already completed, and a finished task never changes");
    }

    @Test
    void pausingADispatchedTaskIsRefusedNamingWhatItCanDo() {
        Transition.Refused refused = Tasks.refused(
                Tasks.aDispatchedAgentTask().pause("Which branch?", at(10), EscalationPolicy.DEFAULT));

        assertThat(refused.message()).isEqualTo(
                "Cannot pause task agnt0001 (dispatched): a dispatched task can only start or cancel");
    }

    @Test
    void startingARunningTaskIsRefusedNamingWhatItCanDo() {
        Transition.Refused refused = Tasks.refused(Tasks.aRunningProcessTask().start(at(10)));

        assertThat(refused.message())
                .startsWith("Cannot start task proc0001 (running): a running task can only ")
                .endsWith("can only pause, complete, fail, cancel or requeue")
                .doesNotContain("start or", "resume");
    }

    @Test
    void pausingAProcessTaskIsRefusedBecauseOnlyAgentsAsk() {
        Transition.Refused refused = Tasks.refused(
                Tasks.aRunningProcessTask().pause("Which branch?", at(10), EscalationPolicy.DEFAULT));

        assertThat(refused.message()).isEqualTo(
                "Cannot pause task proc0001 (running): only an agent task can ask a question");
    }

    @ParameterizedTest(name = "{0} is final: {1}")
    @CsvSource(textBlock = """
            DISPATCHED, false
            RUNNING,    false
            PAUSED,     false
            RESUMED,    false
            COMPLETED,  true
            FAILED,     true
            CANCELLED,  true
            """)
    void onlyCompletedFailedAndCancelledAreFinal(TaskStatus status, boolean isFinal) {
        assertThat(status.isFinal()).isEqualTo(isFinal);
        assertThat(anAgentTaskIn(status).isFinal()).isEqualTo(isFinal);
        // a final status allows nothing, and a status that allows nothing is final
        assertThat(status.allowedActions().isEmpty()).isEqualTo(isFinal);
    }

    @ParameterizedTest
    @EnumSource(TaskStatus.class)
    void onlyARunningTaskHoldsAWorkerSlot(TaskStatus status) {
        assertThat(status.holdsWorkerSlot()).isEqualTo(status == TaskStatus.RUNNING);
    }

    @ParameterizedTest(name = "\"{0}\" parses as {1}")
    @CsvSource(textBlock = """
            running,       RUNNING
            PAUSED,        PAUSED
            '  Resumed  ', RESUMED
            cancelled,     CANCELLED
            """)
    void aStatusNameParsesInAnyCaseAndSpacing(String text, TaskStatus status) {
        assertThat(TaskStatus.parse(text)).contains(status);
        assertThat(status.label()).isEqualTo(status.name().toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest(name = "\"{0}\" parses as nothing")
    @CsvSource(nullValues = "NULL", textBlock = """
            NULL
            ''
            runnin
            canceled
            """)
    void aTextThatNamesNoStatusParsesAsNothing(String text) {
        assertThat(TaskStatus.parse(text)).isEmpty();
    }

    private static Optional<TaskStatus> target(String expected) {
        return expected.equals(REFUSED) ? Optional.empty() : Optional.of(TaskStatus.valueOf(expected));
    }

    private static Task aProcessTaskIn(TaskStatus status) {
        return switch (status) {
            case DISPATCHED -> Tasks.aDispatchedProcessTask();
            case RUNNING -> Tasks.aRunningProcessTask();
            case COMPLETED -> Tasks.aCompletedProcessTask();
            case FAILED -> Tasks.aFailedProcessTask();
            case CANCELLED -> Tasks.aCancelledProcessTask();
            case PAUSED, RESUMED -> throw new IllegalArgumentException("a process task is never " + status.label());
        };
    }

    private static void assertTransition(Task before, TaskAction action, Optional<TaskStatus> expected,
            Transition transition) {
        assertThat(transition.taskId()).isEqualTo(before.id());
        switch (transition) {
            case Transition.Applied applied -> {
                assertThat(expected).as("%s from %s was applied, the table refuses it", action, before.status())
                        .isPresent();
                Task after = applied.task();
                assertThat(after.status()).isEqualTo(expected.get());
                assertThat(after.id()).isEqualTo(before.id());
                assertThat(after.spec()).isEqualTo(before.spec());
                assertThat(after.createdAt()).isEqualTo(before.createdAt());
                assertThat(after.updatedAt()).isEqualTo(at(10));
                assertThat(applied.event().task()).isEqualTo(after);
                assertThat(applied.event().at()).isEqualTo(at(10));
                assertThat(applied.event()).isInstanceOf(eventTypeOf(action));
            }
            case Transition.Refused refused -> {
                assertThat(expected).as("%s from %s was refused (%s), the table allows it", action,
                        before.status(), refused.reason()).isEmpty();
                assertThat(refused.taskId()).isEqualTo(before.id());
                assertThat(refused.status()).isEqualTo(before.status());
                assertThat(refused.action()).isEqualTo(action);
                assertThat(refused.reason()).isNotBlank();
                assertThat(refused.message())
                        .startsWith("Cannot " + action.verb() + " task " + before.id() + " ("
                                + before.status().label() + "): ")
                        .endsWith(refused.reason());
                // the task is a value: a refusal cannot have touched it
                assertThat(before).isEqualTo(before.kind() == TaskKind.AGENT
                        ? anAgentTaskIn(before.status()) : aProcessTaskIn(before.status()));
            }
        }
    }

    private static Class<? extends TaskEvent> eventTypeOf(TaskAction action) {
        return switch (action) {
            case START -> TaskEvent.Started.class;
            case PAUSE -> TaskEvent.Paused.class;
            case RESUME -> TaskEvent.Resumed.class;
            case COMPLETE -> TaskEvent.Completed.class;
            case FAIL -> TaskEvent.Failed.class;
            case CANCEL -> TaskEvent.Cancelled.class;
            // back to waiting for a worker, as when it was dispatched
            case REQUEUE -> TaskEvent.Dispatched.class;
        };
    }
}
