package dev.octo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskSpecTest {

    private static final Path DIR = Path.of("/srv/work");

    @Nested
    class AProcessSpec {

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t\n"})
        void needsACommand(String command) {
            assertThatIllegalArgumentException().isThrownBy(() -> ProcessSpec.of(command, DIR))
                    .withMessage("a process task needs a command");
        }

        @Test
        void keepsItsOwnCopyOfTheEnvironment() {
            Map<String, String> environment = new HashMap<>(Map.of("A", "1"));
            ProcessSpec spec = new ProcessSpec("env", DIR, environment, Timeout.NONE);

            environment.put("B", "2");

            assertThat(spec.environment()).containsExactly(Map.entry("A", "1"));
        }

        @Test
        void isAProcessSummarisedByItsCommand() {
            ProcessSpec spec = ProcessSpec.of("make build", DIR);

            assertThat(spec.kind()).isEqualTo(TaskKind.PROCESS);
            assertThat(spec.summary()).isEqualTo("make build");
            assertThat(spec.timeout()).isEqualTo(Timeout.NONE);
            assertThat(spec.environment()).isEmpty();
        }

        @Test
        void getsANewTimeoutAndKeepsTheRest() {
            Timeout limit = Timeout.limited(Duration.ofSeconds(60), Duration.ofSeconds(60));

            ProcessSpec spec = ProcessSpec.of("make build", DIR).withTimeout(limit);

            assertThat(spec).isEqualTo(new ProcessSpec("make build", DIR, Map.of(), limit));
        }

        @Test
        void refusesNulls() {
            assertThatNullPointerException().isThrownBy(() -> new ProcessSpec(null, DIR, Map.of(), Timeout.NONE))
                    .withMessage("command is null");
            assertThatNullPointerException().isThrownBy(() -> new ProcessSpec("ls", DIR, Map.of(), null))
                    .withMessage("timeout is null");
        }
    }

    @Nested
    class AnAgentSpec {

        @ParameterizedTest
        @ValueSource(strings = {"", "  "})
        void needsAPrompt(String prompt) {
            assertThatIllegalArgumentException().isThrownBy(() -> AgentSpec.of(prompt, DIR))
                    .withMessage("an agent task needs a prompt");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "  "})
        void needsAnAgentName(String name) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new AgentSpec("Write docs", name, DIR, 5, Timeout.NONE))
                    .withMessage("an agent task needs an agent name");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
        void needsAtLeastOneTurn(int maxTurns) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new AgentSpec("Write docs", "default", DIR, maxTurns, Timeout.NONE))
                    .withMessage("maxTurns must be at least 1, not " + maxTurns);
        }

        @Test
        void mayHaveASingleTurn() {
            assertThat(new AgentSpec("Write docs", "default", DIR, 1, Timeout.NONE).maxTurns()).isEqualTo(1);
        }

        @Test
        void isAnAgentWithDefaultsSummarisedByItsPrompt() {
            AgentSpec spec = AgentSpec.of("Write docs", DIR);

            assertThat(spec.kind()).isEqualTo(TaskKind.AGENT);
            assertThat(spec.summary()).isEqualTo("Write docs");
            assertThat(spec.agentName()).isEqualTo("default");
            assertThat(spec.maxTurns()).isEqualTo(50);
            assertThat(spec.timeout()).isEqualTo(Timeout.NONE);
        }

        @Test
        void getsANewTimeoutAndKeepsTheRest() {
            Timeout limit = Timeout.limited(Duration.ofSeconds(60), Duration.ofSeconds(60));

            AgentSpec spec = new AgentSpec("Write docs", "writer", DIR, 7, Timeout.NONE).withTimeout(limit);

            assertThat(spec).isEqualTo(new AgentSpec("Write docs", "writer", DIR, 7, limit));
        }
    }

    @Nested
    class ALimitedTimeout {

        @Test
        void mayNotApplyLessThanWasAsked() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Timeout.limited(Duration.ofSeconds(60), Duration.ofSeconds(59)))
                    .withMessage("the applied timeout PT59S is below the requested PT1M");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void mustBePositive(long seconds) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Timeout.limited(Duration.ofSeconds(seconds), Duration.ofSeconds(60)))
                    .withMessageStartingWith("a timeout must be positive");
        }

        @Test
        void keepsWhatWasAskedAndWhatApplies() {
            Timeout timeout = Timeout.limited(Duration.ofSeconds(60), Duration.ofSeconds(2_400));

            assertThat(timeout.requested()).contains(Duration.ofSeconds(60));
            assertThat(timeout.applied()).contains(Duration.ofSeconds(2_400));
            assertThat(Timeout.limited(Duration.ofSeconds(60), Duration.ofSeconds(60)).applied())
                    .contains(Duration.ofSeconds(60));
        }
    }

    @Nested
    class AProcessRef {

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void needsAPositivePid(long pid) {
            assertThatIllegalArgumentException().isThrownBy(() -> new ProcessRef(pid, Instant.EPOCH))
                    .withMessage("a pid is positive, not " + pid);
        }

        @Test
        void needsTheProcessStart() {
            assertThatNullPointerException().isThrownBy(() -> new ProcessRef(1, null))
                    .withMessage("processStart is null");
        }
    }
}
