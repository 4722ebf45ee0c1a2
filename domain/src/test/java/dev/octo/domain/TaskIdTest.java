package dev.octo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"abcd1234", "00000000", "zzzzzzzz", "a1b2c3d4", "99999999"})
    void eightLowerCaseLettersAndDigitsMakeAnId(String text) {
        assertThat(TaskId.of(text).value()).isEqualTo(text);
        assertThat(TaskId.of(text)).hasToString(text);
        assertThat(TaskId.isWellFormed(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "abcd123", "abcd12345", "ABCD1234", "abcD1234", "abcd-234", "abcd 234",
            " abcd1234", "abcd1234\n", "äbcd1234", "abcd１234", "abcd_234"})
    void anythingElseIsNotAnId(String text) {
        assertThat(TaskId.isWellFormed(text)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> TaskId.of(text))
                .withMessage("a task id is 8 characters of a-z and 0-9, not '" + text + "'");
    }

    @Test
    void nullIsNotAnId() {
        assertThat(TaskId.isWellFormed(null)).isFalse();
        assertThatNullPointerException().isThrownBy(() -> TaskId.of(null)).withMessage("value is null");
    }

    @Test
    void idsCompareByTheirText() {
        List<TaskId> ids = new java.util.ArrayList<>(List.of(TaskId.of("zz000000"), TaskId.of("00000000"),
                TaskId.of("a0000000")));
        ids.sort(null);

        assertThat(ids).extracting(TaskId::value).containsExactly("00000000", "a0000000", "zz000000");
        assertThat(TaskId.of("abcd1234")).isEqualTo(TaskId.of("abcd1234"));
    }

    @Test
    void aRandomIdSkipsEveryTakenOne() {
        // 'a' is index 0 of the alphabet, 'b' index 1, 'c' index 2
        ScriptedRandom random = new ScriptedRandom();
        random.drawEight(0);
        random.drawEight(1);
        random.drawEight(0);
        random.drawEight(2);
        Set<TaskId> taken = Set.of(TaskId.of("aaaaaaaa"), TaskId.of("bbbbbbbb"));

        TaskId id = TaskId.random(random, taken::contains);

        assertThat(id).isEqualTo(TaskId.of("cccccccc"));
        assertThat(random.remaining()).as("draws left over").isZero();
    }

    @Test
    void aRandomIdIsDrawnFromTheWholeAlphabet() {
        ScriptedRandom random = new ScriptedRandom();
        for (int index : new int[] {0, 25, 26, 35, 9, 10, 1, 34}) {
            random.script.add(index);
        }

        assertThat(TaskId.random(random, id -> false)).isEqualTo(TaskId.of("az09jkb8"));
    }

    @Test
    @ExtendWith(TestSeed.class)
    void manyRandomIdsAreWellFormedAndNeverTaken() {
        RandomGenerator random = new SplittableRandom(TestSeed.value());
        Set<TaskId> taken = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            TaskId id = TaskId.random(random, taken::contains);
            assertThat(TaskId.isWellFormed(id.value())).isTrue();
            assertThat(taken.add(id)).as("%s was already taken", id).isTrue();
        }
    }

    @Test
    @ExtendWith(TestSeed.class)
    void aRandomIdKeepsDrawingWhileTheDrawIsTaken() {
        RandomGenerator random = new SplittableRandom(TestSeed.value());
        // every id not starting with 'q' counts as taken: about 35 draws in 36 collide
        for (int i = 0; i < 200; i++) {
            assertThat(TaskId.random(random, id -> !id.value().startsWith("q")).value()).startsWith("q");
        }
    }

    /** Answers {@code nextInt(bound)} from a script, so a test can make draws collide. */
    private static final class ScriptedRandom implements RandomGenerator {
        final Deque<Integer> script = new ArrayDeque<>();

        void drawEight(int index) {
            for (int i = 0; i < TaskId.LENGTH; i++) {
                script.add(index);
            }
        }

        int remaining() {
            return script.size();
        }

        @Override
        public int nextInt(int bound) {
            assertThat(bound).as("the alphabet is a-z and 0-9").isEqualTo(36);
            Integer next = script.poll();
            if (next == null) {
                throw new AssertionError("the script ran out: more draws than expected");
            }
            return next;
        }

        @Override
        public long nextLong() {
            throw new AssertionError("only nextInt(bound) is expected");
        }
    }
}
