package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.StoreException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable replacement of the files of one directory: write a temporary file beside the target,
 * fsync it, rename it over the target, fsync the directory. A crash at any point leaves either the
 * old file or the new one, never a mix; what it may leave is a temporary file, which the stores
 * delete when they open.
 */
final class AtomicFiles {

    private static final System.Logger LOG = System.getLogger(AtomicFiles.class.getName());

    private final Path directory;
    private final DirectorySync directorySync;

    AtomicFiles(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
        this.directorySync = new DirectorySync(directory);
    }

    /**
     * Durable replacement of the files of {@code directory}, which is created when it does not exist.
     *
     * @throws StoreException when it cannot be created
     */
    static AtomicFiles inFolder(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("Could not create the task folder " + directory + ": " + e, e);
        }
        return new AtomicFiles(directory);
    }

    Path directory() {
        return directory;
    }

    /**
     * Replaces {@code fileName} with {@code content}, durably when it returns. The caller makes sure
     * no two threads write the same file name at once.
     */
    void replace(String fileName, byte[] content) throws IOException {
        replaceWhole(fileName, content);
        directorySync.syncAfterRename();
    }

    /** Replaces {@code fileName} with {@code content}, whole: durably once the folder is synced. */
    private void replaceWhole(String fileName, byte[] content) throws IOException {
        Path target = directory.resolve(fileName);
        Path temp = directory.resolve(tempName(fileName));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Removes {@code fileName}, durably when it returns; a file that is not there is no error. The
     * caller makes sure no other thread writes the same file name at once.
     */
    void delete(String fileName) throws IOException {
        if (Files.deleteIfExists(directory.resolve(fileName))) {
            directorySync.syncAfterRename();
        }
    }

    /** The name of the temporary file that {@link #replace} writes before renaming it to {@code fileName}. */
    static String tempName(String fileName) {
        return "." + fileName + ".tmp";
    }

    /**
     * Moves {@code file} aside to {@code <name>.corrupt}, or {@code <name>.corrupt.1}, {@code .2}, ...
     * when that is taken, and returns where it went.
     */
    Path moveAside(Path file) throws IOException {
        String base = file.getFileName() + ".corrupt";
        for (int suffix = 0; ; suffix++) {
            Path aside = file.resolveSibling(suffix == 0 ? base : base + "." + suffix);
            try {
                // neither REPLACE_EXISTING nor ATOMIC_MOVE (a rename that replaces on Linux): an
                // earlier corrupt file is evidence too and must not be lost
                Files.move(file, aside);
                directorySync.syncAfterRename();
                return aside;
            } catch (FileAlreadyExistsException e) {
                continue;
            }
        }
    }

    /** Deletes a temporary file a crash left behind. */
    void deleteLeftover(Path temp) {
        try {
            Files.deleteIfExists(temp);
            LOG.log(Level.INFO, "Deleted {0}, left behind by a write that did not finish", temp);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not delete the leftover temporary file " + temp, e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Could not delete " + temp + " after a failed write", e);
        }
    }
}
