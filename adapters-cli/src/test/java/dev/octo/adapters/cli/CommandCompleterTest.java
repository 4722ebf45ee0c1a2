package dev.octo.adapters.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.Candidate;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandCompleterTest {

    @TempDir
    Path folder;

    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private TaskEngine engine;
    private CommandCompleter completer;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T10:00:00Z"));

    @BeforeEach
    void twoTasksOneMinuteApart() {
        ArrayDeque<String> ids = new ArrayDeque<>(List.of("old11111", "new22222"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        engine = new TaskEngine(store, () -> TaskId.of(ids.pop()), clock,
                new FakeProcessRunner(), task -> new AgentRunner.Outcome.Failed("none"),
                EngineSettings.defaults(folder));
        engine.dispatch(DispatchTask.Process.of("sleep 1", Optional.empty()));
        now.set(now.get().plusSeconds(60));
        engine.dispatch(DispatchTask.Process.of("sleep 2", Optional.empty()));
        completer = new CommandCompleter(engine);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void theFirstWordIsACommand() {
        assertThat(values("/t")).containsExactly("/bg", "/agent", "/tasks", "/task", "/wait", "/clean", "/help", "/exit",
                "/quit");
    }

    @Test
    void afterTaskComeTheIdsNewestFirstWithWhatTheyAre() {
        List<Candidate> candidates = complete("/task ");

        assertThat(candidates).extracting(Candidate::value).containsExactly("new22222", "old11111");
        assertThat(candidates.get(0).descr()).isEqualTo("dispatched · sleep 2");
        assertThat(candidates.get(0).sort()).isLessThan(candidates.get(1).sort());
    }

    @Test
    void aWaitingTaskCanBeCancelledOrLookedAt() {
        assertThat(values("/task new22222 r")).containsExactly("cancel", "log");
    }

    @Test
    void aRunningTaskCanBeCancelledOrLookedAt() {
        Task running = applied(task("run11111").start(now.get()));
        store.save(running);

        assertThat(values("/task run11111 ")).containsExactly("cancel", "log");
    }

    @Test
    void aPausedTaskCanBeCancelledResumedOrLookedAt() {
        store.save(paused("pau11111"));

        assertThat(values("/task pau11111 ")).containsExactly("cancel", "resume", "log");
    }

    @Test
    void aResumedTaskCanBeCancelledOrLookedAt() {
        store.save(applied(paused("res11111").resume("main", now.get(), EscalationPolicy.DEFAULT)));

        assertThat(values("/task res11111 ")).containsExactly("cancel", "log");
    }

    @Test
    void aFinishedTaskCanBeRetriedFollowedUpOrLookedAtButNotCancelled() {
        Task running = applied(task("don11111").start(now.get()));
        store.save(applied(running.complete("ok", now.get())));
        store.save(applied(applied(task("can11111").start(now.get())).cancel(now.get())));

        assertThat(values("/task don11111 ")).containsExactly("log", "retry", "followup");
        assertThat(values("/task can1 ")).containsExactly("log", "retry", "followup");
    }

    @Test
    void anIdThatNamesNoOneTaskGetsEverySubcommand() {
        store.save(applied(applied(task("abc11111").start(now.get())).cancel(now.get())));
        store.save(task("abc22222"));

        assertThat(values("/task zzz ")).containsExactly("cancel", "resume", "log", "retry", "followup");
        assertThat(values("/task abc ")).containsExactly("cancel", "resume", "log", "retry", "followup");
    }

    @Test
    void afterTasksComeTheStatuses() {
        assertThat(values("/tasks ")).containsExactly("dispatched", "running", "paused", "resumed", "completed",
                "failed", "cancelled");
    }

    @Test
    void afterCleanComeTheFinishedStatusesOnly() {
        assertThat(values("/clean ")).containsExactly("completed", "failed", "cancelled");
        assertThat(values("/clean failed ")).isEmpty();
    }

    @Test
    void afterWaitComeTheIds() {
        assertThat(values("/wait o")).containsExactly("new22222", "old11111");
    }

    @Test
    void freeTextAndShellCommandsGetNothing() {
        assertThat(values("/bg ls ")).isEmpty();
        assertThat(values("hello there")).isEmpty();
        assertThat(values("/task new22222 cancel ")).isEmpty();
    }

    private Task task(String id) {
        return Task.dispatch(TaskId.of(id), ProcessSpec.of("make " + id, folder), now.get());
    }

    private Task paused(String id) {
        Task agent = Task.dispatch(TaskId.of(id), AgentSpec.of("plan " + id, folder), now.get());
        return applied(applied(agent.start(now.get())).pause("which branch?", now.get(), EscalationPolicy.DEFAULT));
    }

    private static Task applied(Transition transition) {
        return ((Transition.Applied) transition).task();
    }

    private List<String> values(String line) {
        return complete(line).stream().map(Candidate::value).toList();
    }

    private List<Candidate> complete(String line) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length(), ParseContext.COMPLETE), candidates);
        return candidates;
    }
}
