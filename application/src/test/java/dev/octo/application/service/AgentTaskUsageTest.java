package dev.octo.application.service;

import static dev.octo.application.fakes.ScriptedAgentRunner.Step.blockUntilInterrupted;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.complete;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.escalate;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.takingTurns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.InMemoryConversationStore;
import dev.octo.application.fakes.ScriptedAgentRunner.Step;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.AgentUsage;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the engine records of an agent task's runs, and the limits a dispatch sets on them. */
class AgentTaskUsageTest extends EngineTestFixture {

    private static final Duration A_MINUTE = Duration.ofSeconds(60);

    /** A step that works {@code worked} by the test's clock, then asks a question. */
    private Step workingThenAsking(Duration worked) {
        return task -> {
            clock.advance(worked);
            return new AgentRunner.Outcome.Escalated("Which branch?");
        };
    }

    private TaskId dispatchTimedAgent(TaskEngine engine, Duration timeout) {
        return done(engine.dispatch(new DispatchTask.Agent("tidy up", Optional.empty(), Optional.of(timeout),
                Optional.empty()))).id();
    }

    @Nested
    class Usage {

        @Test
        void eachTurnsTokensAndTheRunningTimeAreRecordedOnTheTask() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(takingTurns(3, 100, 20, task -> {
                clock.advance(Duration.ofSeconds(42));
                return new AgentRunner.Outcome.Completed("tidy");
            }));

            Task task = awaitFinal(engine, dispatchAgent(engine, "tidy up"));

            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.usage()).isEqualTo(new AgentUsage(3, 300, 60, Duration.ofSeconds(42)));
        }

        @Test
        void aResumedRunAddsToWhatTheEarlierRunsUsed() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(takingTurns(2, 10, 1, escalate("Which branch?")), takingTurns(1, 50, 5, complete("done")));
            TaskId id = dispatchAgent(engine, "tidy up");
            awaitStatus(id, TaskStatus.PAUSED);

            engine.resume(id, "main");
            Task task = awaitFinal(engine, id);

            assertThat(task.usage().turns()).isEqualTo(3);
            assertThat(task.usage().inputTokens()).isEqualTo(70);
            assertThat(task.usage().outputTokens()).isEqualTo(7);
            assertThat(agents.runsOf(id).get(1).usage().turns()).isEqualTo(2);
        }
    }

    @Nested
    class TheTimeLimit {

        @Test
        void countsRunningTimeOnlySoThatARunAfterAPauseGetsWhatIsLeft() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(workingThenAsking(Duration.ofSeconds(59)), blockUntilInterrupted());
            TaskId id = dispatchTimedAgent(engine, A_MINUTE);
            awaitStatus(id, TaskStatus.PAUSED);
            assertThat(stored(id).usage().runningTime()).isEqualTo(Duration.ofSeconds(59));
            clock.advance(Duration.ofHours(1)); // paused time is not counted

            engine.resume(id, "main");
            Task task = awaitFinal(engine, id); // within the 10 s it waits, not after a whole minute

            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).contains("Timed out after 60 s");
        }

        @Test
        void countsTheRunningTimeOfRunsBeforeARestart() throws Exception {
            TaskEngine first = startedEngine(2);
            agents.enqueue(workingThenAsking(Duration.ofSeconds(59)), blockUntilInterrupted());
            TaskId id = dispatchTimedAgent(first, A_MINUTE);
            awaitStatus(id, TaskStatus.PAUSED);
            first.close();
            clock.advance(Duration.ofHours(1));

            TaskEngine second = startedEngine(2);
            second.resume(id, "main");
            Task task = awaitFinal(second, id);

            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).contains("Timed out after 60 s");
        }

        @Test
        void givesAFreshRunItsWholeLimit() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(workingThenAsking(Duration.ofSeconds(5)), task -> {
                clock.advance(Duration.ofSeconds(50));
                return new AgentRunner.Outcome.Completed("in time");
            });
            TaskId id = dispatchTimedAgent(engine, A_MINUTE);
            awaitStatus(id, TaskStatus.PAUSED);

            engine.resume(id, "main");
            Task task = awaitFinal(engine, id);

            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.usage().runningTime()).isEqualTo(Duration.ofSeconds(55));
        }
    }

    @Nested
    class Dispatching {

        private TaskEngine engineWithAgents(String... names) {
            TaskEngine engine = new TaskEngine(store, new InMemoryConversationStore(), () -> List.of(names), ids,
                    clock, processes, agents, new EngineSettings(2, workingDirectory, NO_FLOORS,
                            EscalationPolicy.DEFAULT));
            engines.add(engine);
            return engine;
        }

        @Test
        void anUnknownAgentIsRefusedWithTheKnownOnes() {
            TaskEngine engine = engineWithAgents("default", "reviewer");

            String refusal = rejection(engine.dispatch(new DispatchTask.Agent("write docs", Optional.of("writer"),
                    Optional.empty(), Optional.empty())));

            assertThat(refusal).isEqualTo("Unknown agent 'writer'. Known agents: default, reviewer.");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void aKnownAgentIsDispatched() {
            TaskEngine engine = engineWithAgents("default", "reviewer");

            Task task = done(engine.dispatch(new DispatchTask.Agent("review", Optional.of("reviewer"),
                    Optional.empty(), Optional.empty())));

            assertThat(((AgentSpec) task.spec()).agentName()).isEqualTo("reviewer");
        }

        @Test
        void theLimitsOfTurnsAndTokensReachTheSpec() {
            TaskEngine engine = newEngine(2);

            Task task = done(engine.dispatch(new DispatchTask.Agent("review", Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(7), Optional.of(20_000L))));

            assertThat(((AgentSpec) task.spec()).maxTurns()).isEqualTo(7);
            assertThat(((AgentSpec) task.spec()).maxTokens()).contains(20_000L);
        }

        @Test
        void withoutLimitsTheDefaultsApply() {
            TaskEngine engine = newEngine(2);

            Task task = done(engine.dispatch(DispatchTask.Agent.of("review")));

            assertThat(((AgentSpec) task.spec()).maxTurns()).isEqualTo(AgentSpec.DEFAULT_MAX_TURNS);
            assertThat(((AgentSpec) task.spec()).maxTokens()).isEmpty();
        }

        @Test
        void limitsBelowOneAreRefused() {
            TaskEngine engine = newEngine(2);

            assertThat(rejection(engine.dispatch(new DispatchTask.Agent("review", Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(0), Optional.empty())))).isEqualTo("max_turns must be at least 1, not 0");
            assertThat(rejection(engine.dispatch(new DispatchTask.Agent("review", Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of(-5L))))).isEqualTo("max_tokens must be at least 1, not -5");
        }
    }
}
