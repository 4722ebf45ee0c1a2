package dev.octo.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.out.OutputChunk;
import dev.octo.application.port.out.OutputChunk.Part;
import dev.octo.application.port.out.OutputChunk.Position;
import org.junit.jupiter.api.Test;

class FollowedOutputTest {

    private final FollowedOutput output = new FollowedOutput();

    private static OutputChunk chunk(String stdout, String stderr) {
        return new OutputChunk(new Part(stdout, 0), new Part(stderr, 0), Position.START);
    }

    @Test
    void aLineIsShownOnceItEnds() {
        assertThat(output.add(chunk("comp", ""))).isEmpty();
        assertThat(output.add(chunk("iling\nlin", ""))).isEqualTo("stdout:\ncompiling");
        assertThat(output.add(chunk("k\n", ""))).isEqualTo("link");
    }

    @Test
    void aHeadingIsShownWheneverTheStreamChanges() {
        assertThat(output.add(chunk("a\n", "b\n"))).isEqualTo("stdout:\na\nstderr:\nb");
        assertThat(output.add(chunk("", "c\n"))).isEqualTo("c");
        assertThat(output.add(chunk("d\n", ""))).isEqualTo("stdout:\nd");
    }

    @Test
    void flushingShowsTheLinesThatHaveNotEnded() {
        output.add(chunk("no newline", "nor here"));

        assertThat(output.flush()).isEqualTo("stdout:\nno newline\nstderr:\nnor here");
        assertThat(output.flush()).isEmpty();
    }

    @Test
    void aCarriageReturnBeforeTheNewlineIsDropped() {
        assertThat(output.add(chunk("dos\r\nline\r\n", ""))).isEqualTo("stdout:\ndos\nline");
    }

    @Test
    void aLineThatNeverEndsIsShownOnceItIsLong() {
        String longLine = "x".repeat(FollowedOutput.MAX_PENDING + 1);

        assertThat(output.add(chunk(longLine, ""))).isEqualTo("stdout:\n" + longLine);
    }

    @Test
    void leftOutBytesAreSaidAfterTheLineTheyCut() {
        output.add(chunk("half a li", ""));

        String shown = output.add(new OutputChunk(new Part("end\n", 500), Part.NONE, Position.START));

        assertThat(shown).isEqualTo("stdout:\nhalf a li\n[… 500 bytes left out]\nend");
    }

    @Test
    void theBacklogKeepsTheLastLinesOfEachStreamAndWhatFollowsGetsAHeading() {
        String backlog = output.backlog(chunk("1\n2\n3\n4\npartial", "e1\ne2\n"), 2);

        assertThat(backlog).isEqualTo("stdout:\n3\n4\nstderr:\ne1\ne2");
        assertThat(output.add(chunk(" line\n", ""))).isEqualTo("stdout:\npartial line");
    }

    @Test
    void theBacklogDropsTheFragmentOfALineWhoseStartWasLeftOut() {
        OutputChunk cut = new OutputChunk(new Part("gment\nwhole\n", 10_000), Part.NONE, Position.START);

        assertThat(output.backlog(cut, 100)).isEqualTo("stdout:\nwhole");
    }

    @Test
    void nothingToShowIsEmpty() {
        assertThat(output.backlog(chunk("", ""), 10)).isEmpty();
        assertThat(output.add(OutputChunk.nothingAt(Position.START))).isEmpty();
        assertThat(output.flush()).isEmpty();
    }
}
