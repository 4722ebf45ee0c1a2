package dev.octo.adapters.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the files of Octo's folders, where anything may have been put by hand or by another
 * program: only a regular file of bounded size is read. A symbolic link is not followed (one to
 * {@code /dev/zero} would never end), and a FIFO, socket or device is never opened (opening a FIFO
 * blocks until something writes to it, which may be never).
 */
final class RegularFiles {

    // the file-type bits of st_mode, as the "unix:mode" attribute gives them
    private static final int TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int SOCKET = 0140000;

    private RegularFiles() {
    }

    /**
     * The content of {@code file}.
     *
     * @throws InvalidDocumentException when it is not a regular file, or longer than {@code maxBytes};
     *     the message says what it is
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws IOException when it cannot be read
     */
    static byte[] read(Path file, int maxBytes) throws IOException, InvalidDocumentException {
        // the attributes of the entry itself: neither a link nor a FIFO is opened to learn what it is
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new InvalidDocumentException("it is " + kind(file, attributes) + ", not a regular file");
        }
        if (attributes.size() > maxBytes) {
            throw tooBig(size(attributes.size()), maxBytes);
        }
        // NOFOLLOW_LINKS again, in case the entry was swapped for a link since; and the read stops past
        // maxBytes, in case the file grew since
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) attributes.size() + 1);
            while (channel.read(buffer) >= 0) {
                if (!buffer.hasRemaining()) {
                    if (buffer.capacity() > maxBytes) {
                        throw tooBig("more than " + size(maxBytes), maxBytes);
                    }
                    ByteBuffer larger = ByteBuffer.allocate((int) Math.min(2L * buffer.capacity(), maxBytes + 1L));
                    larger.put(buffer.flip());
                    buffer = larger;
                }
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /**
     * The names of the files in {@code folder}: names alone, not a {@link Path} each, since the task
     * folder of a large store holds tens of thousands of files.
     *
     * @throws IOException when the folder cannot be listed
     */
    static List<String> names(Path folder) throws IOException {
        String[] names = folder.toFile().list();
        if (names != null) {
            return Arrays.asList(names);
        }
        // File.list says nothing of why: the slower way names the error
        List<String> listed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            entries.forEach(entry -> listed.add(entry.getFileName().toString()));
        }
        return listed;
    }

    /**
     * {@code path} as it can be shown on one line of a terminal: a file name is whatever someone
     * chose, control characters included.
     */
    static String shown(Object path) {
        StringBuilder out = new StringBuilder();
        String.valueOf(path).codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** "1.5 MiB", "300 bytes". */
    static String size(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value == Math.floor(value) ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }

    private static InvalidDocumentException tooBig(String size, int maxBytes) {
        return new InvalidDocumentException("it is " + size + ", more than the " + size(maxBytes)
                + " such a file may hold");
    }

    private static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            try {
                return "a symbolic link to " + shown(Files.readSymbolicLink(file));
            } catch (IOException | UnsupportedOperationException e) {
                return "a symbolic link";
            }
        }
        if (attributes.isDirectory()) {
            return "a folder";
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
        return switch (mode & TYPE_MASK) {
            case FIFO -> "a FIFO (named pipe)";
            case SOCKET -> "a socket";
            case CHARACTER_DEVICE -> "a character device";
            case BLOCK_DEVICE -> "a block device";
            default -> "a special file";
        };
    }
}
