package dev.octo.adapters.process;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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

    /**
     * The most bytes an exit file is read for: a status is at most three digits and a newline, so
     * anything longer is no status, and is never read into memory whole.
     */
    static final int MAX_EXIT_FILE_BYTES = 32;

    /** An exit status as the wrapper writes it: 0 to 255, in decimal. */
    private static final Pattern STATUS = Pattern.compile("[0-9]{1,3}");

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

    /** What the exit file says about how the wrapper's command ended. */
    sealed interface ExitStatus {

        /** The status {@code code}, recorded at {@code at}: the file's last change, when the command ended. */
        record Recorded(int code, Instant at) implements ExitStatus {
        }

        /**
         * No status recorded: no exit file, or an empty one (a wrapper killed between opening the
         * file and writing to it, or one whose write failed on a full disk).
         */
        record None() implements ExitStatus {
        }

        /**
         * Something that is no status, which counts as none recorded: {@code problem} is one line that
         * names the file and says what is wrong with it, and what was done with it.
         */
        record Unreadable(String problem) implements ExitStatus {
        }
    }

    /**
     * Reads the exit file. Only a regular file (a symbolic link is not followed) of at most
     * {@link #MAX_EXIT_FILE_BYTES} bytes is read: anything else at its place (a FIFO, which would
     * block the reader for ever, a link to a device, a directory, a big file) is moved aside to
     * {@code <id>.exit.corrupt} and reported as {@link ExitStatus.Unreadable}. A file whose text is
     * no status from 0 to 255 is left where it is and reported the same way. Every such problem is
     * logged.
     */
    ExitStatus readExitStatus() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(exit, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException missing) {
            return new ExitStatus.None();
        } catch (IOException e) {
            return unreadable("could not be read: " + e);
        }
        if (!attributes.isRegularFile()) {
            return moveAside("is " + kindOf(attributes) + ", not a regular file");
        }
        if (attributes.size() > MAX_EXIT_FILE_BYTES) {
            return moveAside("holds " + attributes.size() + " bytes, more than an exit status");
        }
        ByteBuffer content = ByteBuffer.allocate(MAX_EXIT_FILE_BYTES + 1);
        // NOFOLLOW_LINKS again: a link put in its place since it was looked at is not followed either
        try (SeekableByteChannel channel = Files.newByteChannel(exit,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            while (content.hasRemaining() && channel.read(content) >= 0) {
                // reads until the buffer is full or the file ends
            }
        } catch (NoSuchFileException missing) {
            return new ExitStatus.None();
        } catch (IOException e) {
            return unreadable("could not be read: " + e);
        }
        if (content.position() > MAX_EXIT_FILE_BYTES) {
            return moveAside("holds more bytes than an exit status");
        }
        String text = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).strip();
        if (text.isEmpty()) {
            LOG.log(Level.INFO, "{0} is empty: the wrapper ended while writing it, or could not write it", exit);
            return new ExitStatus.None();
        }
        if (!STATUS.matcher(text).matches() || Integer.parseInt(text) > 255) {
            // a status is what a shell can exit with; a negative or larger number is not one
            return unreadable("holds '" + visible(text) + "', which is no exit status from 0 to 255");
        }
        return new ExitStatus.Recorded(Integer.parseInt(text), attributes.lastModifiedTime().toInstant());
    }

    /**
     * The exit status the wrapper recorded, with the ends of both logs and the time it was recorded;
     * empty when no status was recorded.
     */
    Optional<ProcessExit> recordedExit() {
        return readExitStatus() instanceof ExitStatus.Recorded recorded ? Optional.of(exitOf(recorded)) : Optional.empty();
    }

    /** The exit status the wrapper recorded; empty when none was recorded, or none can be read. */
    Optional<Integer> recordedCode() {
        return readExitStatus() instanceof ExitStatus.Recorded recorded ? Optional.of(recorded.code()) : Optional.empty();
    }

    /** How the command ended, from the status the wrapper recorded. */
    ProcessExit exitOf(ExitStatus.Recorded recorded) {
        return new ProcessExit(recorded.code(), stdoutTail(), stderrTail(STDERR_TAIL), Optional.of(recorded.at()));
    }

    /**
     * How the command ended, from its wrapper's own exit status as its parent saw it, when the
     * wrapper exited normally (not by a signal) but recorded no status: it exits with the command's
     * status, which is therefore exact.
     */
    ProcessExit exitSeenByParent(int code) {
        return new ProcessExit(code, stdoutTail(), stderrTail(STDERR_TAIL));
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
     * Whether the command ever ran: the wrapper's shell opens the output logs (creating them) right
     * before it runs the command, after the wrapper has its own session, and the exit file comes
     * after the command; without any of them it never got that far.
     */
    boolean commandRan() {
        return Files.exists(out, LinkOption.NOFOLLOW_LINKS) || Files.exists(err, LinkOption.NOFOLLOW_LINKS)
                || Files.exists(exit, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * When the command started, as its files tell: its output logs are created as it starts (by the
     * spawn, or by its shell right before the command), so the earlier of their creation times.
     * Where the file system keeps no creation time the JDK gives a log's last change instead, which
     * may be later. Empty when neither log is there.
     */
    Optional<Instant> commandStarted() {
        Optional<Instant> earliest = Optional.empty();
        for (Path log : List.of(out, err)) {
            try {
                Instant created = Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .creationTime().toInstant();
                if (earliest.isEmpty() || created.isBefore(earliest.get())) {
                    earliest = Optional.of(created);
                }
            } catch (IOException missing) {
                // the other log may tell
            }
        }
        return earliest;
    }

    /** Reports the exit file, which {@code what} (a predicate: "holds ...") makes no status. */
    private ExitStatus unreadable(String what) {
        String problem = "Exit file " + exit + " " + what;
        LOG.log(Level.WARNING, problem);
        return new ExitStatus.Unreadable(problem);
    }

    /**
     * Moves what is at the exit file's place aside to {@code <name>.corrupt}, or {@code .corrupt.1},
     * ... when that is taken (an earlier one is evidence too), and reports it.
     */
    private ExitStatus moveAside(String what) {
        String problem = "Exit file " + exit + " " + what;
        String base = exit.getFileName() + ".corrupt";
        try {
            for (int suffix = 0; ; suffix++) {
                Path aside = exit.resolveSibling(suffix == 0 ? base : base + "." + suffix);
                try {
                    // a rename: a FIFO or a device is never opened, a link never followed
                    Files.move(exit, aside);
                    problem += "; moved it to " + aside.getFileName();
                    break;
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
            }
        } catch (IOException e) {
            problem += "; moving it aside failed too: " + e;
        }
        LOG.log(Level.WARNING, problem);
        return new ExitStatus.Unreadable(problem);
    }

    private static String kindOf(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        return "a special file (a FIFO, a socket or a device)";
    }

    /** {@code text} with every control character shown as '?', so that a log or terminal shows it as it is. */
    private static String visible(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
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
