package dev.octo.application.service;

import dev.octo.application.port.out.OutputChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of a task that {@code /task <id> log -f} follows, turned into text to show as it
 * comes: whole lines only (a line still being written waits for its end), and a "stdout:" or
 * "stderr:" heading, as in the output tail, whenever the stream changes. A line that grows past
 * {@value #MAX_PENDING} characters without ending is shown as it is.
 */
final class FollowedOutput {

    static final int MAX_PENDING = 8 * 1024;

    private final Stream stdout = new Stream("stdout:");
    private final Stream stderr = new Stream("stderr:");
    private Stream shownLast;

    /**
     * The text to show first: of what the task wrote before following began, the last
     * {@code maxLines} whole lines of each stream.
     */
    String backlog(OutputChunk chunk, int maxLines) {
        List<String> lines = new ArrayList<>();
        for (Stream stream : List.of(stdout, stderr)) {
            OutputChunk.Part part = stream == stdout ? chunk.stdout() : chunk.stderr();
            String text = part.text();
            if (part.skippedBytes() > 0) {
                // the older output was left out: what is left of its last line is a fragment
                int newline = text.indexOf('\n');
                text = newline < 0 ? text : text.substring(newline + 1);
            }
            List<String> complete = stream.take(text);
            show(lines, stream, complete.subList(Math.max(0, complete.size() - maxLines), complete.size()));
        }
        // what comes after the backlog is shown apart from it, under a heading of its own
        shownLast = null;
        return String.join("\n", lines);
    }

    /** The text to show for {@code chunk}, new output; empty when no line is complete yet. */
    String add(OutputChunk chunk) {
        List<String> lines = new ArrayList<>();
        for (Stream stream : List.of(stdout, stderr)) {
            OutputChunk.Part part = stream == stdout ? chunk.stdout() : chunk.stderr();
            List<String> shown = new ArrayList<>();
            if (part.skippedBytes() > 0) {
                shown.addAll(stream.drain());
                shown.add("[… " + part.skippedBytes() + " bytes left out]");
            }
            shown.addAll(stream.take(part.text()));
            show(lines, stream, shown);
        }
        return String.join("\n", lines);
    }

    /** The lines still waiting for their end: the task has ended, or following stops. */
    String flush() {
        List<String> lines = new ArrayList<>();
        show(lines, stdout, stdout.drain());
        show(lines, stderr, stderr.drain());
        return String.join("\n", lines);
    }

    private void show(List<String> lines, Stream stream, List<String> shown) {
        if (shown.isEmpty()) {
            return;
        }
        if (shownLast != stream) {
            lines.add(stream.heading);
            shownLast = stream;
        }
        lines.addAll(shown);
    }

    /** One stream's line still being written. */
    private static final class Stream {

        final String heading;
        final StringBuilder pending = new StringBuilder();

        Stream(String heading) {
            this.heading = heading;
        }

        /** The lines {@code text} completes; what follows the last newline waits for more. */
        List<String> take(String text) {
            List<String> lines = new ArrayList<>();
            int from = 0;
            for (int newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
                pending.append(text, from, newline);
                lines.add(line());
                from = newline + 1;
            }
            pending.append(text, from, text.length());
            if (pending.length() > MAX_PENDING) {
                lines.add(line());
            }
            return lines;
        }

        List<String> drain() {
            return pending.isEmpty() ? List.of() : List.of(line());
        }

        private String line() {
            int end = pending.length();
            if (end > 0 && pending.charAt(end - 1) == '\r') {
                end--;
            }
            String line = pending.substring(0, end);
            pending.setLength(0);
            return line;
        }
    }
}
