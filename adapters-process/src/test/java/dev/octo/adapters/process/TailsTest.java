package dev.octo.adapters.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tails}: reading on in a log that grows, and reading only regular files. */
class TailsTest {

    @TempDir
    Path folder;

    private Path log(byte[] bytes) throws Exception {
        return Files.write(folder.resolve("x.out.log"), bytes);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoOrALinkInALogsPlaceIsRefusedUnread() throws Exception {
        Path fifo = folder.resolve("fifo.out.log");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path link = Files.createSymbolicLink(folder.resolve("link.out.log"), Path.of("/dev/zero"));

        for (Path log : List.of(fifo, link)) {
            assertThatThrownBy(() -> Tails.lastLines(log, 10, 1000)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> Tails.lastBytes(log, 1000)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> Tails.since(log, 0, 1000)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void itReadsFromThePositionToTheEnd() throws Exception {
        Path log = log("hello world".getBytes(UTF_8));

        assertThat(Tails.since(log, 6, 100)).isEqualTo(new Tails.Slice("world", 0, 11));
        assertThat(Tails.since(log, 11, 100)).isEqualTo(new Tails.Slice("", 0, 11));
    }

    @Test
    void aCharacterNotWrittenWholeIsLeftForTheNextRead() throws Exception {
        byte[] octopus = "🐙".getBytes(UTF_8);
        Path log = log(new byte[] {'a', octopus[0], octopus[1]});

        Tails.Slice first = Tails.since(log, 0, 100);
        Files.write(log, new byte[] {'a', octopus[0], octopus[1], octopus[2], octopus[3], 'b'});
        Tails.Slice second = Tails.since(log, first.end(), 100);

        assertThat(first).isEqualTo(new Tails.Slice("a", 0, 1));
        assertThat(second).isEqualTo(new Tails.Slice("🐙b", 0, 6));
    }

    @Test
    void ofMoreThanAskedOnlyTheEndIsReadAndWhatWasLeftOutIsCounted() throws Exception {
        Path log = log("0123456789".getBytes(UTF_8));

        assertThat(Tails.since(log, 2, 3)).isEqualTo(new Tails.Slice("789", 5, 10));
    }

    @Test
    void aCutInsideACharacterLeavesOutItsRestToo() throws Exception {
        // "é" is two bytes: a cut after its first byte drops the second as well
        Path log = log("aébc".getBytes(UTF_8));

        assertThat(Tails.since(log, 0, 3)).isEqualTo(new Tails.Slice("bc", 3, 5));
    }

    @Test
    void bytesThatAreNoUtf8AtAllAreReadAsReplacementCharacters() throws Exception {
        Path log = log(new byte[] {'a', (byte) 0xFF, (byte) 0x80});

        assertThat(Tails.since(log, 0, 100)).isEqualTo(new Tails.Slice("a\uFFFD\uFFFD", 0, 3));
    }

    @Test
    void aLogShorterThanThePositionWasWrittenAnewAndIsReadFromItsStart() throws Exception {
        Path log = log("new".getBytes(UTF_8));

        assertThat(Tails.since(log, 50, 100)).isEqualTo(new Tails.Slice("new", 0, 3));
    }

    @Test
    void aMissingLogIsEmpty() throws Exception {
        assertThat(Tails.since(folder.resolve("none.log"), 0, 100)).isEqualTo(new Tails.Slice("", 0, 0));
    }
}
