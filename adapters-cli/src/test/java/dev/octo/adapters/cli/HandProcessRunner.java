package dev.octo.adapters.cli;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ProcessRunner} whose processes run until the test ends them, or until terminated. */
final class HandProcessRunner implements ProcessRunner {

    private final Map<TaskId, HandProcess> started = new ConcurrentHashMap<>();
    private final AtomicLong pids = new AtomicLong(1000);

    @Override
    public RunningProcess start(TaskId id, ProcessSpec spec) {
        HandProcess process = new HandProcess(new ProcessRef(pids.incrementAndGet(), Instant.now()));
        started.put(id, process);
        return process;
    }

    @Override
    public Adoption adopt(TaskId id, Optional<ProcessRef> known) {
        return new Adoption.Gone();
    }

    @Override
    public String outputTail(TaskId id, int maxLines) {
        return "";
    }

    /** Ends the process of task {@code id} with {@code exitCode}. */
    void finish(TaskId id, int exitCode, String stdout) {
        started.get(id).exit.complete(new ProcessExit(exitCode, stdout, ""));
    }

    boolean wasTerminated(TaskId id) {
        HandProcess process = started.get(id);
        return process != null && process.terminated;
    }

    private static final class HandProcess implements RunningProcess {
        private final ProcessRef ref;
        private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
        private volatile boolean terminated;

        HandProcess(ProcessRef ref) {
            this.ref = ref;
        }

        @Override
        public ProcessRef ref() {
            return ref;
        }

        @Override
        public CompletionStage<ProcessExit> exit() {
            return exit;
        }

        @Override
        public void terminate() {
            terminated = true;
            exit.complete(new ProcessExit(143, "", ""));
        }
    }
}
