package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock that lets one Octo at a time use a state folder: an operating-system lock on
 * {@code <octoDir>/octo.lock}, which also holds the pid and start instant of its holder so that a
 * refused second instance can say who holds it.
 *
 * <p>The lock dies with the process that holds it, however that process ends, so a lock file left
 * by a killed Octo does not block the next one. The file itself stays; its content is overwritten.
 */
public final class InstanceLock implements AutoCloseable {

    /** The lock file's name inside the state folder. */
    public static final String FILE_NAME = "octo.lock";

    private static final System.Logger LOG = System.getLogger(InstanceLock.class.getName());
    private static final ObjectMapper MAPPER = Json.mapper();
    /** The lock files this JVM holds, by real path. */
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

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
     * @throws InstanceLockedException when another process, or another holder in this JVM, has it
     * @throws StoreException when the folder or the lock file cannot be created or written
     */
    public static InstanceLock acquire(Path octoDir) {
        requireNonNull(octoDir, "octoDir is null");
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
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // held in this JVM through a path the registry did not recognise
                lock = null;
            }
            if (lock == null) {
                throw new InstanceLockedException(dir, lockFile, holderPid(lockFile));
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
                lock.release();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not release the instance lock " + lockFile, e);
        } finally {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(lockFile);
        }
    }

    private static void writeHolder(FileChannel channel) throws IOException {
        Map<String, Object> holder = new LinkedHashMap<>();
        holder.put("pid", ProcessHandle.current().pid());
        holder.put("startedAt", ProcessHandle.current().info().startInstant().orElse(Instant.now()).toString());
        byte[] content = (MAPPER.writeValueAsString(holder) + "\n").getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        ByteBuffer buffer = ByteBuffer.wrap(content);
        long position = 0;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(true);
    }

    /** The pid written in the lock file, or empty when there is none to read (yet). */
    private static OptionalLong holderPid(Path lockFile) {
        try {
            JsonNode holder = MAPPER.readTree(Files.readAllBytes(lockFile));
            JsonNode pid = holder == null ? null : holder.get("pid");
            return pid != null && pid.canConvertToLong() ? OptionalLong.of(pid.asLong()) : OptionalLong.empty();
        } catch (IOException e) {
            // the holder may not have written its pid yet; the refusal stands without it
            return OptionalLong.empty();
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
