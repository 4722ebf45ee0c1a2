package dev.octo.adapters.telegram;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/** Reads and replaces the bot's JSON files so that a crash leaves the old file or the new, never half of one. */
final class StateFiles {

    private static final System.Logger LOG = System.getLogger(StateFiles.class.getName());

    private StateFiles() {
    }

    /**
     * The object {@code file} holds; empty when there is no file yet. A file that cannot be read as
     * one is moved aside ({@code .corrupt}) and reported, so that the bot starts with what it can.
     */
    static Optional<Map<String, Object>> read(Path file) {
        String text;
        try {
            text = Files.readString(file, UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            if (Json.parse(text) instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                return Optional.of(object);
            }
            throw new IllegalArgumentException("not a JSON object");
        } catch (IllegalArgumentException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            LOG.log(System.Logger.Level.ERROR, "{0} cannot be read ({1}); it is moved to {2}", file,
                    e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.log(System.Logger.Level.ERROR, "cannot move " + file + " aside", moveFailed);
            }
            return Optional.empty();
        }
    }

    /** Replaces {@code file} with {@code object}: a temporary file, written and synced, renamed over it. */
    static void write(Path file, Map<String, Object> object) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = folder.resolve(file.getFileName() + ".tmp");
        // a stream rather than a channel: an interrupt of the writing thread must not cut the write short
        try (FileOutputStream out = new FileOutputStream(temporary.toFile())) {
            out.write((Json.write(object) + "\n").getBytes(UTF_8));
            out.getFD().sync();
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        // the rename itself is durable only once the folder is synced
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot sync the folder " + folder, e);
        }
    }
}
