package dev.octo.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class ProcessTableTest {

    @Test
    void theStartOfAProcessIsTheOneTheJdkReadsForThisJvmAndForAChild() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        assertThat(ProcessTable.startOf(self.pid()))
                .hasValue(self.info().startInstant().orElseThrow());

        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            Instant seenByTheJdk = child.info().startInstant().orElseThrow();
            assertThat(ProcessTable.startOf(child.pid())).hasValue(seenByTheJdk);
            // a child starts after its parent, and the tick is 10 ms
            assertThat(ProcessTable.startOf(child.pid()).orElseThrow())
                    .isAfterOrEqualTo(ProcessTable.startOf(self.pid()).orElseThrow());
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessThatIsNotThereHasNoStart() throws Exception {
        Process child = new ProcessBuilder("true").start();
        child.waitFor(10, TimeUnit.SECONDS);

        assertThat(ProcessTable.startOf(child.pid())).isEmpty();
        assertThat(ProcessTable.startOf(Long.MAX_VALUE)).isEmpty();
    }
}
