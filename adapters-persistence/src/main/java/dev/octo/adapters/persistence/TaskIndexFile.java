package dev.octo.adapters.persistence;

import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
     * The entries of {@code content}, by id.
     *
     * @throws InvalidDocumentException when it is not a whole index of this format: another
     *     format, a line that cannot be read, a task that is not final, or a missing end line
     */
    static Map<TaskId, TaskEntry> read(byte[] content) throws InvalidDocumentException {
        String text = new String(content, StandardCharsets.UTF_8);
        int lineStart = 0;
        int lineNumber = 0;
        Map<TaskId, TaskEntry> entries = null;
        while (lineStart < text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                throw new InvalidDocumentException("it ends in the middle of line " + (lineNumber + 1));
            }
            String line = text.substring(lineStart, lineEnd);
            lineStart = lineEnd + 1;
            lineNumber++;
            if (lineNumber == 1) {
                if (!line.equals(HEADER)) {
                    throw new InvalidDocumentException("its first line is not '" + HEADER + "'");
                }
                entries = new HashMap<>();
                continue;
            }
            if (line.startsWith(END)) {
                if (lineStart != text.length() || !line.equals(END + entries.size())) {
                    throw new InvalidDocumentException("line " + lineNumber + " does not end the index of "
                            + entries.size() + " tasks");
                }
                return entries;
            }
            TaskEntry entry = entry(line, lineNumber);
            if (entries.put(entry.id(), entry) != null) {
                throw new InvalidDocumentException("task " + entry.id() + " is in it twice");
            }
        }
        throw new InvalidDocumentException(lineNumber == 0 ? "it is empty" : "its end line is missing");
    }

    private static TaskEntry entry(String line, int lineNumber) throws InvalidDocumentException {
        String[] fields = line.split("\t", -1);
        if (fields.length != 9) {
            throw new InvalidDocumentException("line " + lineNumber + " has " + fields.length + " fields, not 9");
        }
        try {
            TaskStatus status = TaskStatus.parse(fields[2])
                    .orElseThrow(() -> new IllegalArgumentException("unknown status " + fields[2]));
            if (!status.isFinal()) {
                throw new IllegalArgumentException("task " + fields[0] + " is " + status.label() + ", not final");
            }
            TaskKind kind = switch (fields[1]) {
                case "process" -> TaskKind.PROCESS;
                case "agent" -> TaskKind.AGENT;
                default -> throw new IllegalArgumentException("unknown kind " + fields[1]);
            };
            return new TaskEntry(TaskId.of(fields[0]), kind, status, instant(fields[3]), optionalInstant(fields[4]),
                    optionalInstant(fields[5]), instant(fields[6]), unescape(fields[8]), Long.parseLong(fields[7]));
        } catch (RuntimeException e) {
            throw new InvalidDocumentException("line " + lineNumber + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static StringBuilder instant(StringBuilder text, Optional<Instant> instant) {
        return instant.isPresent() ? instant(text, instant.get()) : text.append('-');
    }

    private static StringBuilder instant(StringBuilder text, Instant instant) {
        return text.append(instant.getEpochSecond()).append('.').append(instant.getNano());
    }

    private static Optional<Instant> optionalInstant(String field) {
        return field.equals("-") ? Optional.empty() : Optional.of(instant(field));
    }

    private static Instant instant(String field) {
        int dot = field.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("not an instant: " + field);
        }
        return Instant.ofEpochSecond(Long.parseLong(field, 0, dot, 10),
                Long.parseLong(field, dot + 1, field.length(), 10));
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
