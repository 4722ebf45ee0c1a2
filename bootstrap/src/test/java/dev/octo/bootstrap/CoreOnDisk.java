package dev.octo.bootstrap;

import dev.octo.adapters.llm.UnconfiguredAgentRunner;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.process.LocalProcessRunner;
import dev.octo.application.service.RandomTaskIds;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.ClaudeCommandRule;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.TimeoutPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The real core (file store, process runner, engine) on a folder, for tests and probes. */
final class CoreOnDisk {

    private CoreOnDisk() {
    }

    /** An engine on {@code octoDir}, running at most {@code maxConcurrent} tasks, with no timeout floors. */
    static TaskEngine engine(Path octoDir, int maxConcurrent) {
        return engine(octoDir, maxConcurrent, ClaudeCommandRule.NONE);
    }

    /** As the other, with {@code claudeRule} applied to the claude commands it runs. */
    static TaskEngine engine(Path octoDir, int maxConcurrent, ClaudeCommandRule claudeRule) {
        Path tasks = octoDir.resolve("tasks");
        JsonFileTaskStore store = new JsonFileTaskStore(tasks);
        EngineSettings settings = new EngineSettings(maxConcurrent, octoDir.getParent(),
                new TimeoutPolicy(Duration.ZERO, Duration.ZERO), EscalationPolicy.DEFAULT, claudeRule);
        return new TaskEngine(store, new RandomTaskIds(store), Clock.systemDefaultZone(),
                new LocalProcessRunner(tasks), new UnconfiguredAgentRunner(), settings);
    }
}
