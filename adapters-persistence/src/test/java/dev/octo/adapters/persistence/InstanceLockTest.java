package dev.octo.adapters.persistence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

    private static final long MY_PID = ProcessHandle.current().pid();

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
