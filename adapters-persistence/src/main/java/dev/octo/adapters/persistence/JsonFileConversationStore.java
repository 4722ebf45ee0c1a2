package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.service.StripedLocks;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A {@link ConversationStore} that keeps each agent task's conversation in
 * {@code <dir>/<id>.conversation.json}, beside the task's own file, as
 * {@code {schemaVersion, taskId, conversation}}.
 *
 * <p>{@link #save} replaces the file atomically and durably, like {@link JsonFileTaskStore}.
 * {@link #load} reads the file each time (a conversation is read only when an agent task resumes).
 * A file that cannot be read (not JSON, not a conversation of that task, not a regular file, larger
 * than 64 MiB) is renamed to {@code <id>.conversation.json.corrupt} (with a numeric
 * suffix when taken), logged, and loads as no conversation, so the task starts its conversation
 * anew rather than not at all. Opening the store deletes temporary files a crash left behind.
 */
public final class JsonFileConversationStore implements ConversationStore {

    private static final System.Logger LOG = System.getLogger(JsonFileConversationStore.class.getName());
    static final String SUFFIX = ".conversation.json";
    /**
     * The largest conversation file read or written. A conversation is what is sent to a model when
     * its agent task resumes, so it holds no more than a model's context, a few MB; the bound is far
     * above that, and keeps a stray file from filling the memory. Conversations are read one at a
     * time, so it may be larger than the bound of task files.
     */
    static final int MAX_FILE_BYTES = 64 * 1024 * 1024;
    private static final Pattern TEMP_FILE =
            Pattern.compile("\\.[a-z0-9]{" + TaskId.LENGTH + "}\\.conversation\\.json\\.tmp");

    private final AtomicFiles files;
    /** Made on first use: a start builds the store before its first prompt, which needs none. */
    private final LazyCodec codec = new LazyCodec(ConversationDocument.class);
    private final StripedLocks locks = new StripedLocks();
    /** Done once the temporary files a crash left are deleted: a save waits, lest its own be deleted. */
    private final CompletableFuture<Void> cleaned;

    /**
     * Opens the store on {@code tasksDirectory}, creating the folder when it does not exist.
     *
     * @throws StoreException when the folder cannot be created or listed
     */
    public JsonFileConversationStore(Path tasksDirectory) {
        this(tasksDirectory, false);
    }

    /**
     * As {@link #JsonFileConversationStore(Path)}, the temporary files a crash left behind deleted on
     * a thread of its own, which only {@link #save} waits for: the folder is a task folder, which
     * holds tens of thousands of files in a large store, and a start need not wait for it to be
     * listed. A folder that cannot be listed is logged.
     *
     * @throws StoreException when the folder cannot be created
     */
    public static JsonFileConversationStore cleaningInBackground(Path tasksDirectory) {
        return new JsonFileConversationStore(tasksDirectory, true);
    }

    private JsonFileConversationStore(Path tasksDirectory, boolean inBackground) {
        requireNonNull(tasksDirectory, "tasksDirectory is null");
        this.files = AtomicFiles.inFolder(tasksDirectory);
        if (inBackground) {
            CompletableFuture<Void> cleaning = new CompletableFuture<>();
            Thread.ofPlatform().name("octo-conversations-clean").daemon().start(() -> {
                try {
                    deleteLeftovers();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "could not delete the temporary files left in " + tasksDirectory, e);
                } finally {
                    cleaning.complete(null);
                }
            });
            this.cleaned = cleaning;
        } else {
            deleteLeftovers();
            this.cleaned = CompletableFuture.completedFuture(null);
        }
    }

    @Override
    public void save(TaskId id, String conversation) {
        requireNonNull(id, "id is null");
        requireNonNull(conversation, "conversation is null");
        byte[] content;
        try {
            content = codec.writer().writeValueAsBytes(
                    new ConversationDocument(ConversationDocument.SCHEMA_VERSION, id.value(), conversation));
        } catch (JsonProcessingException e) {
            throw new StoreException("Could not write the conversation of task " + id + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (content.length > MAX_FILE_BYTES) {
            // written, it would be moved aside as too big when it is loaded
            throw new StoreException("Could not save the conversation of task " + id + ": it is "
                    + RegularFiles.size(content.length) + " as JSON, more than the "
                    + RegularFiles.size(MAX_FILE_BYTES) + " a conversation file may hold");
        }
        cleaned.join();
        ReentrantLock lock = locks.forId(id);
        lock.lock();
        try {
            files.replace(fileName(id), content);
        } catch (IOException e) {
            throw new StoreException("Could not save the conversation of task " + id + " to "
                    + files.directory().resolve(fileName(id)) + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also empty when the file cannot be understood; it is then moved aside and logged.
     *
     * @throws StoreException when the file exists but cannot be read from the disk
     */
    @Override
    public Optional<String> load(TaskId id) {
        requireNonNull(id, "id is null");
        Path file = files.directory().resolve(fileName(id));
        // under the id's lock, so that a file found corrupt is not swapped for a fresh save before
        // it is moved aside
        ReentrantLock lock = locks.forId(id);
        lock.lock();
        try {
            try {
                return Optional.of(parse(id, RegularFiles.read(file, MAX_FILE_BYTES)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new StoreException("Could not read the conversation of task " + id + " from " + file + ": " + e, e);
            } catch (InvalidDocumentException e) {
                quarantine(file, e.getMessage());
                return Optional.empty();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(TaskId id) {
        requireNonNull(id, "id is null");
        ReentrantLock lock = locks.forId(id);
        lock.lock();
        try {
            files.delete(fileName(id));
        } catch (IOException e) {
            throw new StoreException("Could not remove the conversation of task " + id + " ("
                    + files.directory().resolve(fileName(id)) + "): " + e, e);
        } finally {
            lock.unlock();
        }
    }

    private String parse(TaskId id, byte[] content) throws InvalidDocumentException {
        ConversationDocument document = Json.read(codec.reader(), content);
        if (document == null) {
            throw new InvalidDocumentException("the file holds no conversation (JSON null)");
        }
        if (document.schemaVersion() == null) {
            throw new InvalidDocumentException("required field 'schemaVersion' is missing");
        }
        if (document.schemaVersion() > ConversationDocument.SCHEMA_VERSION || document.schemaVersion() < 1) {
            throw new InvalidDocumentException("schemaVersion " + document.schemaVersion()
                    + " is not one this Octo reads (" + ConversationDocument.SCHEMA_VERSION + ")");
        }
        if (!id.value().equals(document.taskId())) {
            throw new InvalidDocumentException("it holds the conversation of task " + document.taskId()
                    + ", not " + id);
        }
        if (document.conversation() == null) {
            throw new InvalidDocumentException("required field 'conversation' is missing");
        }
        return document.conversation();
    }

    private void quarantine(Path file, String reason) {
        try {
            Path aside = files.moveAside(file);
            LOG.log(Level.WARNING, "Conversation file " + file + " could not be loaded (" + reason
                    + "); moved it to " + aside.getFileName() + "; the task starts a new conversation");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Conversation file " + file + " could not be loaded (" + reason
                    + ") and could not be moved aside either", e);
        }
    }

    private void deleteLeftovers() {
        List<String> names;
        try {
            names = RegularFiles.names(files.directory());
        } catch (IOException e) {
            throw new StoreException("Could not list the task folder " + files.directory() + ": " + e, e);
        }
        for (String name : names) {
            // a plain string test first: most names are those of task files
            if (name.startsWith(".") && name.endsWith(".tmp") && TEMP_FILE.matcher(name).matches()) {
                files.deleteLeftover(files.directory().resolve(name));
            }
        }
    }

    private static String fileName(TaskId id) {
        return id.value() + SUFFIX;
    }
}
