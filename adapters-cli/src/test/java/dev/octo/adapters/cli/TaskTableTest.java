package dev.octo.adapters.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.in.TaskView;
import dev.octo.domain.TaskStatus;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class TaskTableTest {

    private static final List<TaskView> ROWS = List.of(
            new TaskView("abc12345", "process", TaskStatus.RUNNING, "3m 12s", "make test"),
            new TaskView("def67890", "agent", TaskStatus.FAILED, "45s", "write the release notes " + "x".repeat(200)),
            new TaskView("ghi13579", "process", TaskStatus.CANCELLED, "2h 05m", "sleep 100"));

    @Test
    void aHeaderAndOneLinePerRowWithAlignedColumns() {
        List<String> lines = text(TaskTable.render(ROWS, 100, false));

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("ID        TYPE     STATUS     TIME    WHAT");
        assertThat(lines.get(1)).isEqualTo("abc12345  process  running    3m 12s  make test");
        assertThat(lines.get(3)).isEqualTo("ghi13579  process  cancelled  2h 05m  sleep 100");
        assertThat(lines).extracting(line -> line.substring(38, 42)).containsExactly("WHAT", "make", "writ", "slee");
    }

    @Test
    void anAgentThatUsedTokensAddsATokensColumnThatStillFitsTheWidth() {
        List<TaskView> rows = List.of(new TaskView("abc12345", "agent", TaskStatus.RUNNING, "5s", "review the diff", "1.2k"),
                new TaskView("def67890", "process", TaskStatus.COMPLETED, "1s", "make " + "x".repeat(100)));

        List<String> lines = text(TaskTable.render(rows, 60, false));

        assertThat(lines.get(0)).isEqualTo("ID        TYPE     STATUS     TIME  TOKENS  WHAT");
        assertThat(lines.get(1)).isEqualTo("abc12345  agent    running    5s    1.2k    review the diff");
        assertThat(lines.get(2)).hasSize(60).startsWith("def67890  process  completed  1s            make x");
    }

    @Test
    void aDispatchedTaskShowsAsWaiting() {
        List<TaskView> rows = List.of(new TaskView("abc12345", "process", TaskStatus.DISPATCHED, "5s", "make test"));

        assertThat(text(TaskTable.render(rows, 100, false)).get(1)).isEqualTo("abc12345  process  waiting  5s    make test");
    }

    @Test
    void aLongCommandIsCutWithAnEllipsisToFitTheWidth() {
        List<String> lines = text(TaskTable.render(ROWS, 70, false));

        String cut = lines.get(2);
        assertThat(cut).hasSize(70).startsWith("def67890  agent    failed     45s     write the release").endsWith("x…");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(70));
    }

    @Test
    void anUnknownWidthCountsAsEighty() {
        List<String> lines = text(TaskTable.render(ROWS, 0, false));

        assertThat(lines.get(2)).hasSize(80).endsWith("…");
    }

    @Test
    void aNarrowTerminalStillShowsSomeOfTheCommand() {
        List<String> lines = text(TaskTable.render(ROWS, 20, false));

        assertThat(lines.get(2)).endsWith("  write the r…");
        assertThat(lines.get(2).length() - lines.get(2).indexOf("write")).isEqualTo(TaskTable.MIN_SUMMARY_WIDTH);
    }

    @Test
    void wideCharactersCountAsTwoColumns() {
        List<TaskView> rows = List.of(new TaskView("abc12345", "process", TaskStatus.RUNNING, "1s", "echo 日本語のテキスト"));

        List<AttributedString> lines = TaskTable.render(rows, 48, false);

        assertThat(lines.get(1).columnLength()).isLessThanOrEqualTo(48);
        assertThat(lines.get(1).toString()).endsWith("echo 日本語の…");
    }

    @Test
    void withoutColourTheLinesCarryNoEscapes() {
        assertThat(TaskTable.render(ROWS, 100, false))
                .allSatisfy(line -> assertThat(line.toAnsi()).doesNotContain("\u001B"));
    }

    @Test
    void withColourTheStatusesAndHeaderAreStyled() {
        List<String> ansi = TaskTable.render(ROWS, 100, true).stream().map(AttributedString::toAnsi).toList();

        assertThat(ansi.get(0)).contains("\u001B[1m");
        assertThat(ansi.get(1)).contains("\u001B[36mrunning");
        assertThat(ansi.get(2)).contains("\u001B[31mfailed");
        assertThat(ansi.get(3)).contains("\u001B[2mcancelled");
        assertThat(TaskTable.render(ROWS, 100, true).stream().map(AttributedString::toString).toList())
                .isEqualTo(text(TaskTable.render(ROWS, 100, false)));
    }

    @Test
    void escapeSequencesInACellAreDrawnAsVisibleCharacters() {
        List<TaskView> rows = List.of(new TaskView("abc12345", "process", TaskStatus.RUNNING, "1s",
                "printf '\033[2J\033]0;title\007' \u009b31m"));

        List<String> ansi = TaskTable.render(rows, 100, true).stream().map(AttributedString::toAnsi).toList();

        assertThat(ansi.get(1)).contains("printf '^[[2J^[]0;title^G' \\u009b31m")
                .doesNotContain("\u001B[2J", "\u001B]", "\u0007", "\u009b");
        assertThat(ansi.get(1)).contains("\u001B[36mrunning");
    }

    @Test
    void statusColoursFollowTheirMeaning() {
        assertThat(TaskTable.style(TaskStatus.COMPLETED)).isNotEqualTo(TaskTable.style(TaskStatus.FAILED));
        assertThat(TaskTable.style(TaskStatus.PAUSED).getStyle()).isNotZero();
        assertThat(TaskTable.style(TaskStatus.DISPATCHED).getStyle()).isZero();
        assertThat(TaskTable.style(TaskStatus.RESUMED).getStyle()).isZero();
    }

    private static List<String> text(List<AttributedString> lines) {
        return lines.stream().map(AttributedString::toString).toList();
    }
}
