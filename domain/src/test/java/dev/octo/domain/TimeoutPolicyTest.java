package dev.octo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeoutPolicyTest {

    private static final TimeoutPolicy POLICY = TimeoutPolicy.DEFAULT;

    @Test
    void theDefaultFloorsAre2400SecondsForClaudeAnd3600ForTests() {
        assertThat(POLICY).isEqualTo(new TimeoutPolicy(Duration.ofSeconds(2_400), Duration.ofSeconds(3_600)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"claude -p x", "mvn test", "ls", "sleep 100000"})
    void aCommandWithoutATimeoutHasNone(String command) {
        assertThat(POLICY.forCommand(command, Optional.empty())).isSameAs(Timeout.NONE);
        assertThat(Timeout.NONE.applied()).isEmpty();
        assertThat(Timeout.NONE.requested()).isEmpty();
    }

    @ParameterizedTest(name = "{0} s")
    @CsvSource(textBlock = """
            0,    'a timeout must be a positive number of seconds, not 0'
            -1,   'a timeout must be a positive number of seconds, not -1'
            -600, 'a timeout must be a positive number of seconds, not -600'
            """)
    void aZeroOrNegativeTimeoutIsRefusedSayingWhy(long seconds, String message) {
        Optional<Duration> requested = Optional.of(Duration.ofSeconds(seconds));

        assertThatThrownBy(() -> POLICY.forCommand("ls", requested))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> POLICY.forCommand("claude -p x", requested))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> POLICY.forAgent(requested))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    /** Command, requested seconds, applied seconds under the default policy. */
    @ParameterizedTest(name = "{0} with {1} s -> {2} s")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            claude -p "x"                        | 60    | 2400
            claude -p "x"                        | 2400  | 2400
            claude -p "x"                        | 5000  | 5000
            /usr/local/bin/claude -p x           | 60    | 2400
            cd /repo && claude -p 'fix it'       | 60    | 2400
            echo $(claude -p x)                  | 60    | 2400
            pytest                               | 60    | 3600
            pytest tests/unit -k slow            | 60    | 3600
            python -m pytest                     | 60    | 3600
            python3 -m pytest -x                 | 60    | 3600
            mvn test                             | 60    | 3600
            mvn -B -q verify                     | 60    | 3600
            ./mvnw verify                        | 60    | 3600
            gradle test                          | 60    | 3600
            ./gradlew check                      | 60    | 3600
            npm test                             | 60    | 3600
            npx playwright test                  | 60    | 3600
            make test                            | 60    | 3600
            make check                           | 60    | 3600
            robot tests/                         | 60    | 3600
            behave                               | 60    | 3600
            cucumber                             | 60    | 3600
            go test ./...                        | 60    | 3600
            cargo test                           | 60    | 3600
            cd app && npm install && npm test    | 60    | 3600
            mvn test                             | 7200  | 7200
            claude -p x && mvn test              | 60    | 3600
            echo test                            | 60    | 60
            echo pytest                          | 60    | 60
            ls                                   | 60    | 60
            make                                 | 60    | 60
            make build                           | 60    | 60
            mvn compile                          | 60    | 60
            npm install                          | 60    | 60
            python script.py                     | 60    | 60
            echo "claude is great"               | 60    | 60
            claudette -p x                       | 60    | 60
            sleep 5                              | 1     | 1
            """)
    void aKnownSlowCommandGetsAtLeastItsFloor(String command, long requested, long applied) {
        Timeout timeout = POLICY.forCommand(command, Optional.of(Duration.ofSeconds(requested)));

        assertThat(timeout.requested()).as("what was asked is kept").contains(Duration.ofSeconds(requested));
        assertThat(timeout.applied()).contains(Duration.ofSeconds(applied));
        assertThat(timeout).isEqualTo(Timeout.limited(Duration.ofSeconds(requested), Duration.ofSeconds(applied)));
    }

    @ParameterizedTest(name = "{0}: {1} s")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            claude -p x                   | 2400
            mvn test                      | 3600
            ls                            | 0
            claude -p x; ./gradlew check  | 3600
            """)
    void theFloorOfACommandIsTheHighestOfItsParts(String command, long floor) {
        assertThat(POLICY.floorFor(command)).isEqualTo(Duration.ofSeconds(floor));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            claude -p x                   | CLAUDE
            cd /repo && claude -p x       | CLAUDE
            mvn test                      | TEST_OR_BUILD
            claude -p x; ./gradlew check  | TEST_OR_BUILD
            """)
    void theLongWorkThatSetsTheFloorIsNamed(String command, TimeoutPolicy.LongWork work) {
        assertThat(POLICY.longWorkIn(command)).contains(work);
        assertThat(POLICY.minimumFor(work)).isEqualTo(POLICY.floorFor(command));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ls", "echo claude", "make build"})
    void aCommandWithoutLongWorkNamesNone(String command) {
        assertThat(POLICY.longWorkIn(command)).isEmpty();
    }

    @Test
    void ofClaudeAndTestsTheOneWithTheHigherFloorSetsIt() {
        TimeoutPolicy claudeHigher = new TimeoutPolicy(Duration.ofSeconds(5_000), Duration.ofSeconds(3_600));

        assertThat(claudeHigher.longWorkIn("claude -p x && mvn test")).contains(TimeoutPolicy.LongWork.CLAUDE);
        assertThat(claudeHigher.floorFor("claude -p x && mvn test")).isEqualTo(Duration.ofSeconds(5_000));
    }

    @Test
    void aCustomClaudeMinimumIsTheFloorOfClaudeCommands() {
        TimeoutPolicy policy = new TimeoutPolicy(Duration.ofSeconds(900), TimeoutPolicy.DEFAULT_TEST_MINIMUM);

        assertThat(policy.forCommand("claude -p x", Optional.of(Duration.ofSeconds(60))))
                .isEqualTo(Timeout.limited(Duration.ofSeconds(60), Duration.ofSeconds(900)));
        assertThat(policy.forCommand("claude -p x", Optional.of(Duration.ofSeconds(1_000))))
                .isEqualTo(Timeout.limited(Duration.ofSeconds(1_000), Duration.ofSeconds(1_000)));
        assertThat(policy.forCommand("mvn test", Optional.of(Duration.ofSeconds(60))).applied())
                .contains(Duration.ofSeconds(3_600));
    }

    @Test
    void aZeroClaudeMinimumLeavesClaudeCommandsAsAsked() {
        TimeoutPolicy policy = new TimeoutPolicy(Duration.ZERO, Duration.ZERO);

        assertThat(policy.forCommand("claude -p x && mvn test", Optional.of(Duration.ofSeconds(60))).applied())
                .contains(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "{0} s")
    @ValueSource(longs = {1, 60, 2_399, 5_000})
    void anAgentTimeoutHasNoFloor(long seconds) {
        Duration requested = Duration.ofSeconds(seconds);

        assertThat(POLICY.forAgent(Optional.of(requested))).isEqualTo(Timeout.limited(requested, requested));
        assertThat(POLICY.forAgent(Optional.empty())).isSameAs(Timeout.NONE);
    }

    @Test
    void negativeFloorsAreAProgrammingError() {
        assertThatThrownBy(() -> new TimeoutPolicy(Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new TimeoutPolicy(Duration.ZERO, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }
}
