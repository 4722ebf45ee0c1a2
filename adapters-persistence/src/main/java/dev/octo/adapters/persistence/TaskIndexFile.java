package dev.octo.adapters.persistence;

import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The text of the task index, {@code <tasks>/index}: the {@link TaskEntry} of every final task, so
 * that a start lists thousands of old tasks from one small file instead of reading each one's JSON.
 * Only final tasks are in it, because nothing changes a final task: an entry is true for as long as
 * its task file exists. A task that is not final is always read from its own file.
 *
 * <p>One line per task, its fields separated by tabs: id, kind, status, created, started, finished,
 * updated (instants as {@code seconds.nanoseconds} since the epoch, {@code -} for none), tokens,
 * then the summary, with backslash, tab, line feed and carriage return escaped. A first line names
 * the format and a last line counts the entries, so that a file cut short is seen as such. It is
 * written by hand rather than as JSON: reading 10,000 lines must cost a start next to nothing.
 */
final class TaskIndexFile {

    static final String FILE_NAME = "index";
    private static final String HEADER = "octo task index 1";
    private static final String END = "end ";

    private TaskIndexFile() {
    }

    /** The file's content holding {@code entries}, which are all final. */
    static byte[] write(List<TaskEntry> entries) {
        StringBuilder text = new StringBuilder(64 + entries.size() * 120);
        text.append(HEADER).append('\n');
        for (TaskEntry entry : entries) {
            if (!entry.isFinal()) {
                throw new IllegalArgumentException("task " + entry.id() + " is not final");
            }
            text.append(entry.id().value()).append('\t')
                    .append(entry.kind().label()).append('\t')
                    .append(entry.status().label()).append('\t');
            instant(text, entry.createdAt()).append('\t');
            instant(text, entry.startedAt()).append('\t');
            instant(text, entry.finishedAt()).append('\t');
            instant(text, entry.updatedAt()).append('\t')
                    .append(entry.tokens()).append('\t');
            escape(text, entry.summary()).append('\n');
        }
        text.append(END).append(entries.size()).append('\n');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The entries of {@code content}, in the order they were written.
     *
     * @throws InvalidDocumentException when it is not a whole index of this format: another
     *     format, a line that cannot be read, a task that is not final or is there twice, or a
     *     missing end line
     */
    static List<TaskEntry> read(byte[] content) throws InvalidDocumentException {
        return check(content).entries();
    }

    /**
     * {@code content} checked as far as a start needs it before its first prompt, with the ids it
     * holds: its form, its end line, and on each line an id, held once, and a final status. The
     * other fields are read, and the entries made, later, by {@link Checked#entries}.
     *
     * @throws InvalidDocumentException when it is not an index of this format as far as checked
     */
    static Checked check(byte[] content) throws InvalidDocumentException {
        String text = new String(content, StandardCharsets.UTF_8);
        if (!text.startsWith(HEADER + "\n")) {
            throw new InvalidDocumentException("its first line is not '" + HEADER + "'");
        }
        if (!text.endsWith("\n")) {
            throw new InvalidDocumentException("its last line is cut short");
        }
        int endLine = text.lastIndexOf('\n', text.length() - 2) + 1;
        int firstLine = HEADER.length() + 1;
        if (endLine < firstLine || !text.startsWith(END, endLine)) {
            throw new InvalidDocumentException("its end line is missing");
        }
        Set<String> ids = new HashSet<>(content.length / 60);
        int[] tabs = new int[3];
        for (int lineStart = firstLine; lineStart < endLine; ) {
            int lineEnd = text.indexOf('\n', lineStart);
            tabs(text, lineStart, lineEnd, tabs);
            String id = text.substring(lineStart, tabs[0]);
            try {
                if (!TaskId.isWellFormed(id)) {
                    throw new IllegalArgumentException("not a task id: " + id);
                }
                // only final tasks are in the index: an entry of any other status is a damaged index
                field(text, tabs[1] + 1, tabs[2], FINAL_STATUSES, FINAL_STATUS_LABELS, "final status");
            } catch (RuntimeException e) {
                throw cannotRead(text, lineStart, lineEnd, e);
            }
            if (!ids.add(id)) {
                throw new InvalidDocumentException("it holds task " + id + " twice");
            }
            lineStart = lineEnd + 1;
        }
        if (!text.substring(endLine, text.length() - 1).equals(END + ids.size())) {
            throw new InvalidDocumentException("its end line does not count its " + ids.size() + " tasks");
        }
        return new Checked(text, firstLine, endLine, Collections.unmodifiableSet(ids));
    }

    /**
     * An index as far as {@link #check} found it sound: the ids of its tasks, all final, and its
     * text, from which {@link #entries} makes their entries.
     */
    record Checked(String text, int firstLine, int endLine, Set<String> ids) {

        /**
         * The entries, in the order they were written.
         *
         * @throws InvalidDocumentException when a line cannot be read
         */
        List<TaskEntry> entries() throws InvalidDocumentException {
            List<TaskEntry> entries = new ArrayList<>(ids.size());
            int[] tabs = new int[FIELDS - 1];
            for (int lineStart = firstLine; lineStart < endLine; ) {
                int lineEnd = text.indexOf('\n', lineStart);
                entries.add(entry(text, lineStart, lineEnd, tabs));
                lineStart = lineEnd + 1;
            }
            return entries;
        }
    }

    /**
     * Finds the first {@code tabs.length} tabs of the line of {@code text} from {@code start} to
     * {@code end}, and leaves their places in {@code tabs}.
     */
    private static void tabs(String text, int start, int end, int[] tabs) throws InvalidDocumentException {
        int at = start;
        for (int i = 0; i < tabs.length; i++) {
            int tab = text.indexOf('\t', at);
            if (tab < 0 || tab > end) {
                throw new InvalidDocumentException("the line of " + text.substring(start, Math.min(end, start + 8))
                        + " has " + (i + 1) + " fields, not " + FIELDS);
            }
            tabs[i] = tab;
            at = tab + 1;
        }
    }

    /**
     * The entry on the line of {@code text} from {@code start} to {@code end}: read in place, field by
     * field, because a start reads thousands of them.
     */
    private static TaskEntry entry(String text, int start, int end, int[] tabs) throws InvalidDocumentException {
        tabs(text, start, end, tabs);
        try {
            return new TaskEntry(TaskId.of(text.substring(start, tabs[0])),
                    field(text, tabs[0] + 1, tabs[1], KINDS, KIND_LABELS, "kind"),
                    field(text, tabs[1] + 1, tabs[2], FINAL_STATUSES, FINAL_STATUS_LABELS, "final status"),
                    instant(text, tabs[2] + 1, tabs[3]), optionalInstant(text, tabs[3] + 1, tabs[4]),
                    optionalInstant(text, tabs[4] + 1, tabs[5]), instant(text, tabs[5] + 1, tabs[6]),
                    unescape(text.substring(tabs[7] + 1, end)), Long.parseLong(text, tabs[6] + 1, tabs[7], 10));
        } catch (RuntimeException e) {
            throw cannotRead(text, start, end, e);
        }
    }

    private static InvalidDocumentException cannotRead(String text, int start, int end, RuntimeException e) {
        return new InvalidDocumentException("the line of " + text.substring(start, Math.min(end, start + 8))
                + " cannot be read: " + e.getMessage(), e);
    }

    /** The fields of a line: id, kind, status, four instants, tokens, summary. */
    private static final int FIELDS = 9;

    private static final TaskKind[] KINDS = TaskKind.values();
    private static final String[] KIND_LABELS = Arrays.stream(KINDS).map(TaskKind::label).toArray(String[]::new);
    private static final TaskStatus[] FINAL_STATUSES =
            Arrays.stream(TaskStatus.values()).filter(TaskStatus::isFinal).toArray(TaskStatus[]::new);
    private static final String[] FINAL_STATUS_LABELS =
            Arrays.stream(FINAL_STATUSES).map(TaskStatus::label).toArray(String[]::new);

    /** The value among {@code values} whose label, in {@code labels}, the text from {@code start} to {@code end} is. */
    private static <T> T field(String text, int start, int end, T[] values, String[] labels, String what) {
        for (int i = 0; i < values.length; i++) {
            if (labels[i].length() == end - start && text.startsWith(labels[i], start)) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("not a " + what + ": " + text.substring(start, end));
    }

    private static StringBuilder instant(StringBuilder text, Optional<Instant> instant) {
        return instant.isPresent() ? instant(text, instant.get()) : text.append('-');
    }

    private static StringBuilder instant(StringBuilder text, Instant instant) {
        return text.append(instant.getEpochSecond()).append('.').append(instant.getNano());
    }

    private static Optional<Instant> optionalInstant(String text, int start, int end) {
        return end == start + 1 && text.charAt(start) == '-' ? Optional.empty() : Optional.of(instant(text, start, end));
    }

    private static Instant instant(String text, int start, int end) {
        int dot = text.indexOf('.', start);
        if (dot < 0 || dot >= end) {
            throw new IllegalArgumentException("not an instant: " + text.substring(start, end));
        }
        return Instant.ofEpochSecond(Long.parseLong(text, start, dot, 10), Long.parseLong(text, dot + 1, end, 10));
    }

    private static StringBuilder escape(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
        return text;
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder value = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (++i == field.length()) {
                throw new IllegalArgumentException("a lone backslash ends the summary");
            }
            value.append(switch (field.charAt(i)) {
                case '\\' -> '\\';
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> throw new IllegalArgumentException("unknown escape \\" + field.charAt(i));
            });
        }
        return value.toString();
    }
}
