package dev.octo.adapters.persistence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

    private static final long MY_PID = ProcessHandle.current().pid();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theLockFileNamesTheHolder() throws IOException {
        Path octoDir = dir.resolve("not/yet/.octo");
        try (InstanceLock lock = InstanceLock.acquire(octoDir)) {
            JsonNode holder = new ObjectMapper().readTree(octoDir.resolve("octo.lock").toFile());

            assertThat(lock.lockFile()).isEqualTo(octoDir.toRealPath().resolve("octo.lock"));
            assertThat(holder.get("pid").asLong()).isEqualTo(MY_PID);
            assertThat(holder.get("startedAt").asText()).isNotBlank();
        }
    }

    @Test
    void aSecondAcquireInTheSameJvmIsRefusedWithThePidOfTheHolder() throws IOException {
        Path lockFile = dir.toRealPath().resolve("octo.lock");
        try (InstanceLock first = InstanceLock.acquire(dir)) {
            assertThatThrownBy(() -> InstanceLock.acquire(dir))
                    .isInstanceOf(InstanceLockedException.class)
                    .hasMessageContaining("Another Octo (pid " + MY_PID + ")")
                    .hasMessageContaining("(lock file " + lockFile + ")")
                    .hasMessageContaining("OCTO_DIR")
                    .satisfies(e -> assertThat(((InstanceLockedException) e).holderPid()).hasValue(MY_PID));
        }
    }

    @Test
    void theLockCanBeTakenAgainAfterItWasClosed() {
        InstanceLock.acquire(dir).close();

        try (InstanceLock again = InstanceLock.acquire(dir)) {
            assertThat(again.lockFile()).exists();
        }
    }

    @Test
    void anotherProcessIsRefusedWhileTheLockIsHeldAndSucceedsOnceItIsClosed() throws Exception {
        InstanceLock lock = InstanceLock.acquire(dir);
        try {
            // a refused attempt in this JVM must not loosen the hold on the lock either
            assertThatThrownBy(() -> InstanceLock.acquire(dir)).isInstanceOf(InstanceLockedException.class);

            assertThat(runProbe()).startsWith("refused: Another Octo (pid " + MY_PID + ")");
        } finally {
            lock.close();
        }
        assertThat(runProbe()).isEqualTo("locked");
    }

    @Test
    void aLockLeftByAKilledProcessDoesNotBlock() throws Exception {
        Process holder = startProbe("hold");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8))) {
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> InstanceLock.acquire(dir))
                    .isInstanceOf(InstanceLockedException.class)
                    .hasMessageContaining("pid " + holder.pid());

            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            holder.destroyForcibly();
        }
        assertThat(dir.resolve("octo.lock")).exists();

        try (InstanceLock lock = InstanceLock.acquire(dir)) {
            assertThat(new ObjectMapper().readTree(lock.lockFile().toFile()).get("pid").asLong()).isEqualTo(MY_PID);
        }
    }

    @Nested
    class WhenTheLockFileNamesAProcessThatDoesNotHoldTheLock {

        @Test
        void aPidThatHasEndedIsNotNamed() throws Exception {
            Process holder = startProbe("hold-unsaid");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8))) {
                assertThat(out.readLine()).isEqualTo("locked");
                long ended = endedPid();
                writeRecord(ended, ProcessHandle.current().info().startInstant().orElseThrow());

                assertThatThrownBy(() -> InstanceLock.acquire(dir, Duration.ofMillis(200)))
                        .isInstanceOf(InstanceLockedException.class)
                        .hasMessageStartingWith("Another Octo is starting or stopping on " + dir)
                        .hasMessageNotContaining("pid " + ended)
                        .satisfies(e -> assertThat(((InstanceLockedException) e).holderPid()).isEmpty());
            } finally {
                holder.destroyForcibly();
            }
        }

        @Test
        void aLivePidThatStartedAfterTheRecordWasWrittenIsNotNamed() throws Exception {
            // the pid of an earlier Octo, now taken by an unrelated process
            Process unrelated = new ProcessBuilder("sleep", "60").start();
            Process holder = startProbe("hold-unsaid");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8))) {
                assertThat(out.readLine()).isEqualTo("locked");
                writeRecord(unrelated.pid(), unrelated.info().startInstant().orElseThrow().minus(Duration.ofHours(1)));

                assertThatThrownBy(() -> InstanceLock.acquire(dir, Duration.ofMillis(200)))
                        .isInstanceOf(InstanceLockedException.class)
                        .hasMessageNotContaining("pid " + unrelated.pid())
                        .satisfies(e -> assertThat(((InstanceLockedException) e).holderPid()).isEmpty());
            } finally {
                holder.destroyForcibly();
                unrelated.destroyForcibly();
            }
        }

        @Test
        void theHolderIsNamedOnceItHasWrittenItsRecord() throws Exception {
            Process holder = startProbe("hold-unsaid");
            ExecutorService background = Executors.newSingleThreadExecutor();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8));
                    Writer commands = new OutputStreamWriter(holder.getOutputStream(), UTF_8)) {
                assertThat(out.readLine()).isEqualTo("locked");
                long ended = endedPid();
                writeRecord(ended, ProcessHandle.current().info().startInstant().orElseThrow());
                Future<InstanceLock> attempt = background.submit(() -> InstanceLock.acquire(dir, Duration.ofSeconds(60)));

                commands.write("write\n");
                commands.flush();

                assertThatThrownBy(() -> attempt.get(90, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(InstanceLockedException.class)
                        .hasMessageStartingWith("Another Octo (pid " + holder.pid() + ") is using " + dir)
                        .hasMessageNotContaining("pid " + ended);
            } finally {
                background.shutdownNow();
                holder.destroyForcibly();
            }
        }

        @Test
        void theLockIsTakenWhenItsHolderReleasesItBeforeSayingWhoItIs() throws Exception {
            Process holder = startProbe("hold-unsaid");
            ExecutorService background = Executors.newSingleThreadExecutor();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8));
                    Writer commands = new OutputStreamWriter(holder.getOutputStream(), UTF_8)) {
                assertThat(out.readLine()).isEqualTo("locked");
                writeRecord(endedPid(), ProcessHandle.current().info().startInstant().orElseThrow());
                Future<InstanceLock> attempt = background.submit(() -> InstanceLock.acquire(dir, Duration.ofSeconds(60)));

                commands.write("release\n");
                commands.flush();

                try (InstanceLock lock = attempt.get(90, TimeUnit.SECONDS)) {
                    assertThat(JSON.readTree(lock.lockFile().toFile()).get("pid").asLong()).isEqualTo(MY_PID);
                }
            } finally {
                background.shutdownNow();
                holder.destroyForcibly();
            }
        }

        private static long endedPid() throws Exception {
            Process ended = new ProcessBuilder("true").start();
            assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return ended.pid();
        }

        private void writeRecord(long pid, Instant startedAt) throws IOException {
            Files.writeString(dir.resolve("octo.lock"), "{\"pid\":" + pid + ",\"startedAt\":\"" + startedAt + "\"}\n");
        }
    }

    @Test
    void closingEmptiesTheLockFileSoThatItNamesNoEndedHolder() throws IOException {
        InstanceLock.acquire(dir).close();

        assertThat(dir.resolve("octo.lock")).isEmptyFile();
    }

    private String runProbe() throws Exception {
        Process probe = startProbe("try");
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe finished").isTrue();
        String out = new String(probe.getInputStream().readAllBytes(), UTF_8).strip();
        assertThat(probe.exitValue()).as("probe output: %s", out).isZero();
        return out;
    }

    private Process startProbe(String mode) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                InstanceLockProbe.class.getName(), dir.toString(), mode))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    @Test
    void closingTwiceDoesNoHarm() throws IOException {
        InstanceLock lock = InstanceLock.acquire(dir);
        lock.close();
        lock.close();

        assertThat(Files.exists(dir.resolve("octo.lock"))).isTrue();
    }
}
