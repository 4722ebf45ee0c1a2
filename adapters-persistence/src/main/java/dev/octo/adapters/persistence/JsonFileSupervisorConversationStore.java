package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.SupervisorConversationStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link SupervisorConversationStore} that keeps each channel's conversation in
 * {@code <dir>/<channel>.json} as {@code {schemaVersion, channel, conversation}}.
 *
 * <p>The file name is made from the channel so that no two channels share one, whatever they hold:
 * {@code a-z}, {@code 0-9} and {@code -} stay as they are, and every other byte of the channel's
 * UTF-8 becomes {@code _} and two hex digits ("telegram:42" is {@code telegram_3a42.json}); upper
 * case is encoded too, for file systems that ignore case. A name that would grow too long for a
 * file system is cut and ends with a hash of the whole channel. The channel is also written inside
 * the file, which is what {@link #channels()} reads.
 *
 * <p>{@link #save} replaces the file atomically and durably, like {@link JsonFileTaskStore}. A file
 * that cannot be read is moved aside ({@code .corrupt}), logged, and loads as no conversation, so
 * that the supervisor starts that conversation anew rather than not answering. Opening the store
 * deletes temporary files a crash left behind.
 */
public final class JsonFileSupervisorConversationStore implements SupervisorConversationStore {

    private static final System.Logger LOG = System.getLogger(JsonFileSupervisorConversationStore.class.getName());
    static final String SUFFIX = ".json";
    /** The supervisor keeps only its last messages; anything near this bound was not written by it. */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
    /** Far below the 255 bytes most file systems allow a name, with room for the temporary file's. */
    private static final int MAX_ENCODED_LENGTH = 120;

    private final AtomicFiles files;
    /** Made on first use: a start builds the store before its first prompt, which needs none. */
    private final LazyCodec codec = new LazyCodec(SupervisorConversationDocument.class);
    // the supervisor saves a few times per message a person types: one lock is enough
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Opens the store on {@code directory} ({@code .octo/supervisor}), creating it when it does not
     * exist.
     *
     * @throws StoreException when the folder cannot be created or listed
     */
    public JsonFileSupervisorConversationStore(Path directory) {
        requireNonNull(directory, "directory is null");
        this.files = AtomicFiles.inFolder(directory);
        deleteLeftovers();
    }

    @Override
    public void save(String channel, String conversation) {
        requireNonNull(channel, "channel is null");
        requireNonNull(conversation, "conversation is null");
        byte[] content;
        try {
            content = codec.writer().writeValueAsBytes(new SupervisorConversationDocument(
                    SupervisorConversationDocument.SCHEMA_VERSION, channel, conversation));
        } catch (JsonProcessingException e) {
            throw new StoreException("Could not write the supervisor's conversation with " + channel
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
        if (content.length > MAX_FILE_BYTES) {
            throw new StoreException("Could not save the supervisor's conversation with " + channel + ": it is "
                    + RegularFiles.size(content.length) + " as JSON, more than the "
                    + RegularFiles.size(MAX_FILE_BYTES) + " such a file may hold");
        }
        String fileName = fileName(channel);
        lock.lock();
        try {
            files.replace(fileName, content);
        } catch (IOException e) {
            throw new StoreException("Could not save the supervisor's conversation with " + channel + " to "
                    + files.directory().resolve(fileName) + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> load(String channel) {
        requireNonNull(channel, "channel is null");
        Path file = files.directory().resolve(fileName(channel));
        lock.lock();
        try {
            SupervisorConversationDocument document = read(file);
            if (!channel.equals(document.channel())) {
                throw new InvalidDocumentException("it holds the conversation with " + document.channel()
                        + ", not " + channel);
            }
            return Optional.of(document.conversation());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("Could not read the supervisor's conversation with " + channel + " from "
                    + file + ": " + e, e);
        } catch (InvalidDocumentException e) {
            quarantine(file, e.getMessage());
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A file that cannot be read is left out (and moved aside when it is loaded).
     */
    @Override
    public List<String> channels() {
        List<String> channels = new ArrayList<>();
        lock.lock();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.directory(), "*" + SUFFIX)) {
            for (Path entry : entries) {
                try {
                    channels.add(read(entry).channel());
                } catch (IOException | InvalidDocumentException e) {
                    LOG.log(Level.DEBUG, "Skipped " + entry + " when listing the supervisor's channels: " + e);
                }
            }
        } catch (IOException e) {
            throw new StoreException("Could not list " + files.directory() + ": " + e, e);
        } finally {
            lock.unlock();
        }
        return channels;
    }

    private SupervisorConversationDocument read(Path file) throws IOException, InvalidDocumentException {
        SupervisorConversationDocument document = Json.read(codec.reader(), RegularFiles.read(file, MAX_FILE_BYTES));
        if (document == null) {
            throw new InvalidDocumentException("the file holds no conversation (JSON null)");
        }
        if (document.schemaVersion() == null) {
            throw new InvalidDocumentException("required field 'schemaVersion' is missing");
        }
        if (document.schemaVersion() > SupervisorConversationDocument.SCHEMA_VERSION || document.schemaVersion() < 1) {
            throw new InvalidDocumentException("schemaVersion " + document.schemaVersion()
                    + " is not one this Octo reads (" + SupervisorConversationDocument.SCHEMA_VERSION + ")");
        }
        if (document.channel() == null) {
            throw new InvalidDocumentException("required field 'channel' is missing");
        }
        if (document.conversation() == null) {
            throw new InvalidDocumentException("required field 'conversation' is missing");
        }
        return document;
    }

    private void quarantine(Path file, String reason) {
        try {
            Path aside = files.moveAside(file);
            LOG.log(Level.WARNING, "Supervisor conversation file " + file + " could not be loaded (" + reason
                    + "); moved it to " + aside.getFileName() + "; that conversation starts anew");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Supervisor conversation file " + file + " could not be loaded (" + reason
                    + ") and could not be moved aside either", e);
        }
    }

    private void deleteLeftovers() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.directory(),
                AtomicFiles.tempName("*" + SUFFIX))) {
            for (Path entry : entries) {
                files.deleteLeftover(entry);
            }
        } catch (IOException e) {
            throw new StoreException("Could not list " + files.directory() + ": " + e, e);
        }
    }

    /** The file of {@code channel}: see the class comment. */
    static String fileName(String channel) {
        StringBuilder name = new StringBuilder();
        for (byte b : channel.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-') {
                name.append((char) b);
            } else {
                name.append('_').append(HexFormat.of().toHexDigits(b));
            }
        }
        if (name.isEmpty()) {
            name.append('_'); // the empty channel: a name that no other channel makes
        }
        if (name.length() > MAX_ENCODED_LENGTH) {
            // '~' never appears in an encoded name, so a cut name cannot be another channel's whole one
            return name.substring(0, MAX_ENCODED_LENGTH - 65) + "~" + sha256(channel) + SUFFIX;
        }
        return name + SUFFIX;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
