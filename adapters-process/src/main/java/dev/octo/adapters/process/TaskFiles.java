package dev.octo.adapters.process;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where one process task keeps its output and exit status, and the word that marks its wrapper's
 * command line.
 */
record TaskFiles(TaskId id, Path out, Path err, Path exit, Path exitTemp) {

    private static final System.Logger LOG = System.getLogger(LocalProcessRunner.class.getName());
    private static final String MARKER_PREFIX = "octo-task-";
    private static final int STDOUT_TAIL = 64 * 1024;
    private static final int STDERR_TAIL = 16 * 1024;
    static final String UNRECORDED_NOTE = "[the process ended without recording an exit status]";

    TaskFiles {
        requireNonNull(id, "id is null");
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(exit, "exit is null");
        requireNonNull(exitTemp, "exitTemp is null");
    }

    static TaskFiles of(Path tasksDirectory, TaskId id) {
        Path directory = tasksDirectory.toAbsolutePath().normalize();
        String name = id.value();
        return new TaskFiles(id,
                directory.resolve(name + ".out.log"),
                directory.resolve(name + ".err.log"),
                directory.resolve(name + ".exit"),
                // wrappers of earlier versions wrote the status aside under this name and renamed it
                directory.resolve(name + ".exit.tmp"));
    }

    /**
     * The exit status the wrapper recorded, with the ends of both logs; empty when no status was
     * recorded.
     */
    Optional<ProcessExit> recordedExit() {
        return recordedCode().map(code -> new ProcessExit(code, stdoutTail(), stderrTail(STDERR_TAIL)));
    }

    /**
     * What to report when the wrapper ended without recording a status: it was killed (SIGKILL
     * leaves it no chance), so there is no code to read. {@code code} is the best guess, and stderr's
     * end says that the status is missing.
     */
    ProcessExit unrecordedExit(int code) {
        String stderr = stderrTail(STDERR_TAIL - UNRECORDED_NOTE.length());
        String separator = stderr.isEmpty() || stderr.endsWith("\n") ? "" : "\n";
        return new ProcessExit(code, stdoutTail(), stderr + separator + UNRECORDED_NOTE);
    }

    /**
     * The recorded exit status, if the exit file holds one. An empty file is a wrapper that was
     * killed between opening the file and writing to it: no status was recorded.
     */
    Optional<Integer> recordedCode() {
        String text;
        try {
            text = Files.readString(exit, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read " + exit, e);
            return Optional.empty();
        }
        if (text.isEmpty()) {
            LOG.log(Level.INFO, "{0} is empty: the wrapper ended while writing it", exit);
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, "{0} holds no exit status: ''{1}''", exit, text);
            return Optional.empty();
        }
    }

    private String stdoutTail() {
        return tail(out, STDOUT_TAIL);
    }

    private String stderrTail(int maxBytes) {
        return tail(err, maxBytes);
    }

    private static String tail(Path log, int maxBytes) {
        try {
            return Tails.lastBytes(log, maxBytes);
        } catch (IOException e) {
            // the exit status matters more than the output: report it without the tail
            LOG.log(Level.WARNING, "cannot read " + log, e);
            return "";
        }
    }

    /** Every file the task's process may leave, for removing them all. */
    List<Path> all() {
        return List.of(out, err, exit, exitTemp);
    }

    /** The wrapper's {@code $0}: it lets a later Octo find the wrapper by its command line. */
    String marker() {
        return MARKER_PREFIX + id.value();
    }
}
