package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.StoreException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lock that lets one Octo at a time use a state folder: an operating-system lock on
 * {@code <octoDir>/octo.lock}, which also holds the pid and start instant of its holder so that a
 * refused second instance can say who holds it.
 *
 * <p>The lock dies with the process that holds it, however that process ends, so a lock file left
 * by a killed Octo does not block the next one. The file itself stays; its content is overwritten
 * by the next holder, and emptied when the lock is closed.
 *
 * <p>The holder writes its pid only after it took the lock, so a refused instance may read the
 * record of an earlier holder that has ended (or, after a crash, whose pid now belongs to an
 * unrelated process). A pid is therefore named only when a process with that pid is alive and
 * started when the record says, which a pid reused by another process is not; until then the
 * refused instance waits a little for the holder to write its record, or for the lock to be
 * released, and if neither happens it says that the holder is starting, naming no pid.
 */
public final class InstanceLock implements AutoCloseable {

    /** The lock file's name inside the state folder. */
    public static final String FILE_NAME = "octo.lock";

    private static final System.Logger LOG = System.getLogger(InstanceLock.class.getName());
    // The record is a small JSON object written and read without Jackson: the lock is the first
    // thing a start does, and Jackson's set-up (a tenth of a second) is done meanwhile on another thread.
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d{1,18})\\b");
    private static final Pattern STARTED_AT = Pattern.compile("\"startedAt\"\\s*:\\s*\"([^\"\\\\]*)\"");
    /** The lock files this JVM holds, by real path. */
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    /**
     * How long a refused instance waits for the holder's record: the holder writes it right after it
     * took the lock, so this is only ever waited for in full when the holder is stuck or the record
     * was spoiled.
     */
    private static final Duration HOLDER_PATIENCE = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(10);
    /**
     * How far a recorded start instant may be from the one the system reports for the same process:
     * each JVM derives it from the boot time it read, which moves when the clock is set.
     */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = requireNonNull(lockFile, "lockFile is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.lock = requireNonNull(lock, "lock is null");
    }

    /**
     * Takes the lock of {@code octoDir}, creating the folder when needed, and writes this process's
     * pid and start instant into the lock file.
     *
     * @throws InstanceLockedException when another process, or another holder in this JVM, has it; when
     *     the lock file does not name a live holder, after waiting a few seconds for one to say who it is
     * @throws StoreException when the folder or the lock file cannot be created or written
     */
    public static InstanceLock acquire(Path octoDir) {
        return acquire(octoDir, HOLDER_PATIENCE);
    }

    /** {@link #acquire(Path)}, waiting at most {@code patience} for a holder that has not said who it is. */
    static InstanceLock acquire(Path octoDir, Duration patience) {
        requireNonNull(octoDir, "octoDir is null");
        requireNonNull(patience, "patience is null");
        Path dir = octoDir.toAbsolutePath();
        Path lockFile;
        try {
            Files.createDirectories(dir);
            lockFile = dir.toRealPath().resolve(FILE_NAME);
        } catch (IOException e) {
            throw new StoreException("Could not create the state folder " + dir + ": " + e, e);
        }
        // An OS lock belongs to the process, and closing any channel this process has on the file
        // releases it: a second attempt from this JVM must never open the file, let alone close it.
        if (!HELD_IN_THIS_JVM.add(lockFile)) {
            throw new InstanceLockedException(dir, lockFile, OptionalLong.of(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                lock = awaitHolderOrRelease(dir, lockFile, channel, patience);
            }
            writeHolder(channel);
            LOG.log(Level.DEBUG, "Took the instance lock {0}", lockFile);
            return new InstanceLock(lockFile, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(lockFile);
            throw new StoreException("Could not take the instance lock " + lockFile + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(lockFile);
            throw e;
        }
    }

    public Path lockFile() {
        return lockFile;
    }

    /** Releases the lock; another Octo may then take it. Closing twice does nothing more. */
    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            if (lock.isValid()) {
                // while the lock is still held: a record left after it could name a process that
                // no longer holds it
                channel.truncate(0);
                lock.release();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not release the instance lock " + lockFile, e);
        } finally {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(lockFile);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held in this JVM through a path the registry did not recognise
            return null;
        }
    }

    /**
     * After a refusal: throws the refusal naming the holder as soon as its record is that of a live
     * process, or naming none once {@code patience} is over; returns the lock when the holder
     * released it meanwhile.
     */
    private static FileLock awaitHolderOrRelease(Path dir, Path lockFile, FileChannel channel, Duration patience)
            throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            OptionalLong holder = liveHolderPid(lockFile);
            if (holder.isPresent() || System.nanoTime() - deadline >= 0) {
                throw new InstanceLockedException(dir, lockFile, holder);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InstanceLockedException(dir, lockFile, OptionalLong.empty());
            }
            FileLock lock = tryLock(channel);
            if (lock != null) {
                return lock;
            }
        }
    }

    /** Writes this process's record. Package-private for a test's stand-in holder. */
    static void writeHolder(FileChannel channel) throws IOException {
        // an Instant's text has neither quotes nor backslashes to escape
        String holder = "{\n  \"pid\" : " + ProcessHandle.current().pid() + ",\n  \"startedAt\" : \""
                + ProcessHandle.current().info().startInstant().orElse(Instant.now()) + "\"\n}\n";
        byte[] content = holder.getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        ByteBuffer buffer = ByteBuffer.wrap(content);
        long position = 0;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(true);
    }

    /**
     * The pid written in the lock file when the process that wrote it is alive; empty when there is
     * no record to read (yet), or when it is that of a process that has ended.
     */
    private static OptionalLong liveHolderPid(Path lockFile) {
        String holder;
        try {
            holder = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        Matcher pidField = PID.matcher(holder);
        if (!holder.startsWith("{") || !holder.endsWith("}") || !pidField.find()) {
            // empty, or cut short: the holder is writing its record
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(pidField.group(1));
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return OptionalLong.empty();
        }
        // without a start instant to compare (a system that does not tell it), a live pid has to do
        Optional<Instant> started = process.get().info().startInstant();
        Matcher startedAt = STARTED_AT.matcher(holder);
        if (started.isPresent() && !recordedStart(startedAt.find() ? startedAt.group(1) : null)
                .map(recorded -> Duration.between(started.get(), recorded).abs().compareTo(START_TOLERANCE) <= 0)
                .orElse(false)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(pid);
    }

    private static Optional<Instant> recordedStart(String startedAt) {
        if (startedAt == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(startedAt));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Could not close a channel of the instance lock", e);
        }
    }
}
