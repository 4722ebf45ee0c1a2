package dev.octo.domain;

import static dev.octo.domain.Tasks.applied;
import static dev.octo.domain.Tasks.at;
import static dev.octo.domain.Tasks.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EscalationPolicyTest {

    private static final EscalationPolicy POLICY = EscalationPolicy.DEFAULT;

    /** Texts and the problem the policy finds in them; null when there is none. */
    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("null", null, "is empty"),
                Arguments.of("empty", "", "is empty"),
                Arguments.of("spaces", "   ", "is empty"),
                Arguments.of("tabs and newlines", "\t\n \r\n", "is empty"),
                Arguments.of("one character", "y", null),
                Arguments.of("a sentence", "Which branch should I push to?", null),
                Arguments.of("padded", "  main  ", null),
                Arguments.of("3,999 characters", "a".repeat(3_999), null),
                Arguments.of("exactly 4,000 characters", "a".repeat(4_000), null),
                Arguments.of("4,001 characters", "a".repeat(4_001), "is 4001 characters long; at most 4000 are allowed"),
                Arguments.of("10,000 characters", "a".repeat(10_000), "is 10000 characters long; at most 4000 are allowed"));
    }

    @Test
    void theDefaultPolicyAllowsTenQuestionsOfFourThousandCharacters() {
        assertThat(EscalationPolicy.DEFAULT).isEqualTo(new EscalationPolicy(10, 4_000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void aQuestionIsNonBlankAndAtMostTheLimit(String name, String text, String problem) {
        if (problem == null) {
            assertThat(POLICY.checkQuestion(text)).isEmpty();
        } else {
            assertThat(POLICY.checkQuestion(text)).hasValueSatisfying(
                    message -> assertThat(message).isEqualTo("the question " + problem));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void anAnswerIsNonBlankAndAtMostTheLimit(String name, String text, String problem) {
        if (problem == null) {
            assertThat(POLICY.checkAnswer(text)).isEmpty();
        } else {
            assertThat(POLICY.checkAnswer(text)).hasValueSatisfying(
                    message -> assertThat(message).isEqualTo("the answer " + problem));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void aRunningAgentTaskPausesOnlyWithAnAcceptableQuestion(String name, String text, String problem) {
        Task running = Tasks.aRunningAgentTask();

        Transition transition = running.pause(text, at(10), POLICY);

        if (problem == null) {
            Task paused = applied(transition);
            assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);
            assertThat(paused.question()).contains(text);
            assertThat(paused.escalations()).isEqualTo(1);
            assertThat(((Transition.Applied) transition).event())
                    .isEqualTo(new TaskEvent.Paused(paused, at(10), text));
        } else {
            Transition.Refused refusal = refused(transition);
            assertThat(refusal.action()).isEqualTo(TaskAction.PAUSE);
            assertThat(refusal.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(refusal.reason()).isEqualTo("the question " + problem);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void aPausedTaskResumesOnlyWithAnAcceptableAnswer(String name, String text, String problem) {
        Task paused = Tasks.aPausedAgentTask();

        Transition transition = paused.resume(text, at(10), POLICY);

        if (problem == null) {
            Task resumed = applied(transition);
            assertThat(resumed.status()).isEqualTo(TaskStatus.RESUMED);
            assertThat(resumed.answer()).contains(text);
            assertThat(resumed.question()).as("the question is answered").isEmpty();
            assertThat(resumed.escalations()).isEqualTo(paused.escalations());
            assertThat(((Transition.Applied) transition).event())
                    .isEqualTo(new TaskEvent.Resumed(resumed, at(10), text));
        } else {
            Transition.Refused refusal = refused(transition);
            assertThat(refusal.action()).isEqualTo(TaskAction.RESUME);
            assertThat(refusal.status()).isEqualTo(TaskStatus.PAUSED);
            assertThat(refusal.reason()).isEqualTo("the answer " + problem);
        }
    }

    @Test
    void aPolicyWithAShorterLimitRefusesLongerTexts() {
        EscalationPolicy terse = new EscalationPolicy(10, 5);

        assertThat(terse.checkQuestion("12345")).isEmpty();
        assertThat(terse.checkQuestion("123456")).contains("the question is 6 characters long; at most 5 are allowed");
        assertThat(terse.checkAnswer("123456")).contains("the answer is 6 characters long; at most 5 are allowed");
    }

    @Nested
    class OnlyAnAgentTaskMayPause {

        @Test
        void aRunningProcessTaskIsRefused() {
            Transition.Refused refusal = refused(Tasks.aRunningProcessTask().pause("Which branch?", at(10), POLICY));

            assertThat(refusal.reason()).isEqualTo("only an agent task can ask a question");
        }

        @Test
        void aRunningProcessTaskIsRefusedEvenWithABlankQuestion() {
            Transition.Refused refusal = refused(Tasks.aRunningProcessTask().pause(" ", at(10), POLICY));

            assertThat(refusal.reason()).isEqualTo("only an agent task can ask a question");
        }

        @Test
        void aRunningAgentTaskPauses() {
            assertThat(applied(Tasks.aRunningAgentTask().pause("Which branch?", at(10), POLICY)).status())
                    .isEqualTo(TaskStatus.PAUSED);
        }

        @Test
        void aDispatchedAgentTaskIsRefusedForItsStatusBeforeItsQuestion() {
            Transition.Refused refusal = refused(Tasks.aDispatchedAgentTask().pause("", at(10), POLICY));

            assertThat(refusal.reason()).isEqualTo("a dispatched task can only start or cancel");
        }
    }

    @Nested
    class TheEscalationPastTheLimitFailsTheTask {

        @ParameterizedTest(name = "limit {0}")
        @ValueSource(ints = {0, 1, 2, 10})
        void theQuestionAfterTheLastAllowedOneFailsTheTask(int limit) {
            EscalationPolicy policy = new EscalationPolicy(limit, 4_000);
            Task task = askAndAnswer(Tasks.aRunningAgentTask(), limit, policy);
            assertThat(task.escalations()).isEqualTo(limit);
            assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);

            Instant at = at(1_000);
            Transition transition = task.pause("One more question?", at, policy);

            Task failed = applied(transition);
            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.error()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("Escalation limit reached")
                    .contains("more than " + limit + " questions"));
            assertThat(failed.escalations()).as("the refused question is not counted").isEqualTo(limit);
            assertThat(failed.question()).isEmpty();
            assertThat(failed.finishedAt()).contains(at);
            assertThat(((Transition.Applied) transition).event())
                    .isEqualTo(new TaskEvent.Failed(failed, at, policy.limitReachedReason()));
        }

        @Test
        void theEleventhQuestionFailsATaskUnderTheDefaultPolicy() {
            Task task = askAndAnswer(Tasks.aRunningAgentTask(), 10, EscalationPolicy.DEFAULT);

            Task failed = applied(task.pause("Eleventh?", at(1_000), EscalationPolicy.DEFAULT));

            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.error()).contains("Escalation limit reached: the task asked more than 10 questions");
        }

        @Test
        void theTenthQuestionStillPausesATaskUnderTheDefaultPolicy() {
            Task task = askAndAnswer(Tasks.aRunningAgentTask(), 9, EscalationPolicy.DEFAULT);

            Task paused = applied(task.pause("Tenth?", at(1_000), EscalationPolicy.DEFAULT));

            assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);
            assertThat(paused.escalations()).isEqualTo(10);
        }

        @Test
        void aBlankQuestionPastTheLimitIsRefusedRatherThanFailingTheTask() {
            EscalationPolicy policy = new EscalationPolicy(2, 4_000);
            Task task = askAndAnswer(Tasks.aRunningAgentTask(), 2, policy);

            Transition.Refused refusal = refused(task.pause(" ", at(1_000), policy));

            assertThat(refusal.reason()).isEqualTo("the question is empty");
        }

        @ParameterizedTest(name = "{0} escalations so far under a limit of {1}: another allowed {2}")
        @CsvSource(textBlock = """
                0,  0,  false
                0,  1,  true
                1,  1,  false
                1,  2,  true
                2,  2,  false
                9,  10, true
                10, 10, false
                11, 10, false
                """)
        void anotherEscalationIsAllowedBelowTheLimit(int soFar, int limit, boolean allowed) {
            assertThat(new EscalationPolicy(limit, 4_000).allowsAnotherEscalation(soFar)).isEqualTo(allowed);
        }

        /** Asks and answers {@code times} questions, starting the task again after each answer. */
        private Task askAndAnswer(Task running, int times, EscalationPolicy policy) {
            Task task = running;
            for (int i = 0; i < times; i++) {
                task = applied(task.pause("Question " + i + "?", at(10 + 3 * i), policy));
                task = applied(task.resume("Answer " + i, at(11 + 3 * i), policy));
                task = applied(task.start(at(12 + 3 * i)));
            }
            return task;
        }
    }

    @ParameterizedTest(name = "maxEscalations {0}, maxTextLength {1}")
    @CsvSource(textBlock = """
            -1, 4000, 'maxEscalations must not be negative, not -1'
            10, 0,    'maxTextLength must be at least 1, not 0'
            10, -5,   'maxTextLength must be at least 1, not -5'
            """)
    void aPolicyOutsideItsRangeIsAProgrammingError(int maxEscalations, int maxTextLength, String message) {
        assertThatThrownBy(() -> new EscalationPolicy(maxEscalations, maxTextLength))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
