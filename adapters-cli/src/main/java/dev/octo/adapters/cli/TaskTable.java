package dev.octo.adapters.cli;

import dev.octo.application.port.in.TaskView;
import dev.octo.domain.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Draws task rows as a table that fits the terminal: fixed columns for id, type, status and time,
 * and the command or prompt cut with "…" to fill what is left of the width. Every cell has its
 * control characters made visible ({@link TerminalText#neutralize}).
 */
final class TaskTable {

    static final int DEFAULT_WIDTH = 80;
    /** The command column keeps at least this much room on a narrow terminal; the line wraps instead. */
    static final int MIN_SUMMARY_WIDTH = 12;
    private static final String GAP = "  ";
    private static final String ELLIPSIS = "…";

    private TaskTable() {
    }

    /**
     * The header and one line per row. {@code width} is the terminal's; 0 or less (unknown) counts as
     * {@value #DEFAULT_WIDTH}. Without {@code color} the lines carry no style at all.
     */
    static List<AttributedString> render(List<TaskView> given, int width, boolean color) {
        List<TaskView> rows = given.stream().map(TaskTable::neutralized).toList();
        int columns = width > 0 ? width : DEFAULT_WIDTH;
        int idWidth = widest("ID", rows.stream().map(TaskView::id).toList());
        int kindWidth = widest("TYPE", rows.stream().map(TaskView::kind).toList());
        int statusWidth = widest("STATUS", rows.stream().map(TaskView::statusLabel).toList());
        int timeWidth = widest("TIME", rows.stream().map(TaskView::time).toList());
        // a tokens column only when an agent task used some
        boolean tokens = rows.stream().anyMatch(row -> !row.tokens().isEmpty());
        int tokensWidth = tokens ? widest("TOKENS", rows.stream().map(TaskView::tokens).toList()) : 0;
        int fixed = idWidth + kindWidth + statusWidth + timeWidth + 4 * GAP.length()
                + (tokens ? tokensWidth + GAP.length() : 0);
        int summaryWidth = Math.max(MIN_SUMMARY_WIDTH, columns - fixed);

        List<AttributedString> lines = new ArrayList<>(rows.size() + 1);
        AttributedStyle header = color ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
        AttributedStringBuilder heading = new AttributedStringBuilder()
                .append(pad("ID", idWidth), header).append(GAP)
                .append(pad("TYPE", kindWidth), header).append(GAP)
                .append(pad("STATUS", statusWidth), header).append(GAP)
                .append(pad("TIME", timeWidth), header).append(GAP);
        if (tokens) {
            heading.append(pad("TOKENS", tokensWidth), header).append(GAP);
        }
        lines.add(heading.append("WHAT", header).toAttributedString());
        for (TaskView row : rows) {
            AttributedStyle statusStyle = color ? style(row.status()) : AttributedStyle.DEFAULT;
            AttributedStringBuilder line = new AttributedStringBuilder()
                    .append(pad(row.id(), idWidth)).append(GAP)
                    .append(pad(row.kind(), kindWidth)).append(GAP)
                    .append(pad(row.statusLabel(), statusWidth), statusStyle).append(GAP)
                    .append(pad(row.time(), timeWidth)).append(GAP);
            if (tokens) {
                line.append(pad(row.tokens(), tokensWidth)).append(GAP);
            }
            lines.add(line.append(cut(row.summary(), summaryWidth)).toAttributedString());
        }
        return List.copyOf(lines);
    }

    private static TaskView neutralized(TaskView row) {
        return new TaskView(TerminalText.neutralize(row.id()), TerminalText.neutralize(row.kind()), row.status(),
                TerminalText.neutralize(row.time()), TerminalText.neutralize(row.summary()),
                TerminalText.neutralize(row.tokens()));
    }

    static AttributedStyle style(TaskStatus status) {
        return switch (status) {
            case RUNNING -> AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
            case PAUSED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case COMPLETED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case FAILED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
            case CANCELLED -> AttributedStyle.DEFAULT.faint();
            case DISPATCHED, RESUMED -> AttributedStyle.DEFAULT;
        };
    }

    /** {@code text} in at most {@code width} terminal columns, a wide character counting as two. */
    static String cut(String text, int width) {
        AttributedString whole = new AttributedString(text);
        if (whole.columnLength() <= width) {
            return text;
        }
        return whole.columnSubSequence(0, width - ELLIPSIS.length()).toString() + ELLIPSIS;
    }

    private static int widest(String heading, List<String> values) {
        int widest = heading.length();
        for (String value : values) {
            widest = Math.max(widest, new AttributedString(value).columnLength());
        }
        return widest;
    }

    private static String pad(String text, int width) {
        int missing = width - new AttributedString(text).columnLength();
        return missing <= 0 ? text : text + " ".repeat(missing);
    }
}
