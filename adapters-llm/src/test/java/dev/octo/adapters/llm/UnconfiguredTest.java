package dev.octo.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.SupervisorUnavailableException;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UnconfiguredTest {

    private static final String PROBLEM = "OCTO_LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY: set it in the environment or in .env";

    @Test
    void withoutAProviderFreeTextIsAnsweredWithWhatToSet() {
        assertThatThrownBy(() -> new UnconfiguredSupervisorChat().reply("cli", "hello"))
                .isInstanceOf(SupervisorUnavailableException.class)
                .hasMessage(UnconfiguredSupervisorChat.REASON);
    }

    @Test
    void withSettingsThatCannotWorkFreeTextIsAnsweredWithTheSettingToFix() {
        assertThatThrownBy(() -> new UnconfiguredSupervisorChat(PROBLEM).reply("cli", "hello"))
                .isInstanceOf(SupervisorUnavailableException.class)
                .hasMessage("Free text goes to the supervisor, an LLM, which cannot be used: " + PROBLEM
                        + ". Commands work without it: /help lists them.");
    }

    @Test
    void withoutAProviderAnAgentTaskFailsSayingWhatToSet() {
        assertThat(new UnconfiguredAgentRunner().run(anAgentTask()))
                .isEqualTo(new AgentRunner.Outcome.Failed(UnconfiguredAgentRunner.REASON));
        assertThat(new UnconfiguredAgentRunner().unavailable()).contains(UnconfiguredAgentRunner.REASON);
        assertThat(new UnconfiguredAgentRunner(PROBLEM).unavailable())
                .contains("Agent tasks need an LLM, which cannot be used: " + PROBLEM);
    }

    @Test
    void withSettingsThatCannotWorkAnAgentTaskFailsNamingTheSettingToFix() {
        assertThat(new UnconfiguredAgentRunner(PROBLEM).run(anAgentTask()))
                .isEqualTo(new AgentRunner.Outcome.Failed("Agent tasks need an LLM, which cannot be used: " + PROBLEM));
    }

    private static Task anAgentTask() {
        return Task.dispatch(TaskId.of("agnt0001"), AgentSpec.of("Tidy up the README", Path.of("/srv/work")),
                Instant.parse("2025-03-01T09:00:00Z"));
    }
}
