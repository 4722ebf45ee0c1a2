package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.TaskStore;
import dev.octo.application.service.StripedLocks;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link TaskStore} that keeps each task in its own JSON file, {@code <dir>/<id>.json}.
 *
 * <p>The constructor reads every task file once and keeps the tasks in memory: {@link #find} and
 * {@link #list} never touch the disk. A file that cannot be read (not JSON, cut short, an unknown
 * status or kind, a missing field, a {@code schemaVersion} newer than this code reads, an id that
 * differs from the file name, not a regular file, larger than 16 MiB) is renamed
 * to {@code <id>.json.corrupt} (with a numeric suffix when that name is taken), logged, and
 * reported by {@link #loadProblems()}; the other files load. So is a {@code .json} file whose name
 * is not a task id, which no part of Octo would ever read. Temporary files that a crash left behind
 * are deleted. Other files in the folder, such as a process task's logs and exit file or an agent's
 * conversation, are left alone.
 *
 * <p>{@link #save} writes a temporary file, fsyncs it, renames it over the task's file and fsyncs
 * the folder before it returns; saves that run at the same time share one folder fsync. Saves of
 * the same id are serialized, so the last one to return is the one on disk and in memory.
 * {@link #delete} removes the task's file (and fsyncs the folder) before it forgets the task, under
 * the same lock. The store assumes it is the only writer of its folder (see {@link InstanceLock}).
 */
public final class JsonFileTaskStore implements TaskStore {

    private static final System.Logger LOG = System.getLogger(JsonFileTaskStore.class.getName());
    private static final Pattern TASK_FILE = Pattern.compile("([a-z0-9]{" + TaskId.LENGTH + "})\\.json");
    private static final Pattern TEMP_FILE = Pattern.compile("\\.[a-z0-9]{" + TaskId.LENGTH + "}\\.json\\.tmp");
    /** The agent conversations {@link JsonFileConversationStore} keeps in the same folder. */
    private static final Pattern CONVERSATION_FILE =
            Pattern.compile("[a-z0-9]{" + TaskId.LENGTH + "}" + Pattern.quote(JsonFileConversationStore.SUFFIX));
    /**
     * The largest task file read or written. Far above what a task holds (a command cannot pass
     * Linux's 128 KiB limit on one argument of a program, outputs are cut to 64 KiB of stdout and
     * 16 KiB of stderr, and a prompt or an agent's result longer than a few MB would not fit any
     * model's context), so no real task is refused; and low enough that a stray large file, read on
     * every core at once by the scan, costs little memory.
     */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    private final AtomicFiles files;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final StripedLocks locks = new StripedLocks();
    private final ConcurrentMap<TaskId, Task> tasks = new ConcurrentHashMap<>();
    private final List<String> loadProblems;

    /**
     * Opens the store on {@code tasksDirectory}, creating the folder when it does not exist, and
     * loads every task file in it.
     *
     * @throws StoreException when the folder cannot be created or listed
     */
    public JsonFileTaskStore(Path tasksDirectory) {
        requireNonNull(tasksDirectory, "tasksDirectory is null");
        ObjectMapper mapper = Json.mapper();
        this.reader = mapper.readerFor(TaskDocument.class);
        this.writer = mapper.writerFor(TaskDocument.class);
        this.files = AtomicFiles.inFolder(tasksDirectory);
        long start = System.nanoTime();
        this.loadProblems = List.copyOf(loadAll());
        LOG.log(Level.INFO, "loaded {0} tasks from {1} in {2} ms", tasks.size(), tasksDirectory,
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void save(Task task) {
        requireNonNull(task, "task is null");
        byte[] content;
        try {
            content = writer.writeValueAsBytes(TaskDocumentMapper.toDocument(task));
        } catch (JsonProcessingException e) {
            throw new StoreException("Could not write task " + task.id() + " as JSON: " + e.getOriginalMessage(), e);
        }
        if (content.length > MAX_FILE_BYTES) {
            // written, it would be moved aside as too big on the next start
            throw new StoreException("Could not save task " + task.id() + ": it is " + RegularFiles.size(content.length)
                    + " as JSON, more than the " + RegularFiles.size(MAX_FILE_BYTES) + " a task file may hold");
        }
        ReentrantLock lock = locks.forId(task.id());
        lock.lock();
        try {
            files.replace(fileName(task.id()), content);
            tasks.put(task.id(), task);
        } catch (IOException e) {
            throw new StoreException("Could not save task " + task.id() + " to "
                    + files.directory().resolve(fileName(task.id())) + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only the task's own file is removed: its logs, exit file or conversation belong to other
     * ports.
     */
    @Override
    public void delete(TaskId id) {
        requireNonNull(id, "id is null");
        ReentrantLock lock = locks.forId(id);
        lock.lock();
        try {
            files.delete(fileName(id));
            tasks.remove(id);
        } catch (IOException e) {
            throw new StoreException("Could not remove task " + id + " ("
                    + files.directory().resolve(fileName(id)) + "): " + e, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Task> find(TaskId id) {
        requireNonNull(id, "id is null");
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public List<Task> list() {
        return List.copyOf(tasks.values());
    }

    @Override
    public boolean contains(TaskId id) {
        requireNonNull(id, "id is null");
        return tasks.containsKey(id);
    }

    @Override
    public List<String> loadProblems() {
        return loadProblems;
    }

    private static String fileName(TaskId id) {
        return id.value() + ".json";
    }

    private List<String> loadAll() {
        List<Path> taskFiles = new ArrayList<>();
        List<Path> misnamed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.directory())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (TEMP_FILE.matcher(name).matches()) {
                    files.deleteLeftover(entry);
                } else if (TASK_FILE.matcher(name).matches()) {
                    taskFiles.add(entry);
                } else if (name.endsWith(".json") && !CONVERSATION_FILE.matcher(name).matches()) {
                    misnamed.add(entry);
                }
            }
        } catch (IOException e) {
            throw new StoreException("Could not list the task folder " + files.directory() + ": " + e, e);
        }
        // files are read and parsed on every core: the scan is what a start with many tasks waits for
        List<String> problems = new ArrayList<>(taskFiles.parallelStream()
                .<String>mapMulti((file, problem) -> {
                    try {
                        Task task = read(file);
                        tasks.put(task.id(), task);
                    } catch (InvalidDocumentException e) {
                        problem.accept(quarantine(file, e.getMessage()));
                    }
                })
                .toList());
        // moved aside like a corrupt task file rather than left: renamed, it loses nothing, and it is
        // reported once instead of at every start
        for (Path file : misnamed) {
            problems.add(quarantine(file, "its name is not a task id: " + TaskId.LENGTH
                    + " lowercase letters or digits, then .json"));
        }
        problems.sort(null);
        if (!problems.isEmpty()) {
            LOG.log(Level.WARNING, "{0} of {1} task files in {2} could not be loaded and were moved aside",
                    problems.size(), taskFiles.size() + misnamed.size(), files.directory());
        }
        return problems;
    }

    private Task read(Path file) throws InvalidDocumentException {
        Matcher name = TASK_FILE.matcher(file.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalStateException("not a task file: " + file);
        }
        byte[] content;
        try {
            content = RegularFiles.read(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new InvalidDocumentException("could not be read: " + e, e);
        }
        TaskDocument document = Json.read(reader, content);
        Task task = TaskDocumentMapper.toTask(document);
        if (!task.id().value().equals(name.group(1))) {
            throw new InvalidDocumentException("it holds task " + task.id() + ", not " + name.group(1));
        }
        return task;
    }

    /** Moves {@code file} aside and returns the line that reports it. */
    private String quarantine(Path file, String reason) {
        String problem;
        try {
            Path aside = files.moveAside(file);
            problem = "Task file " + RegularFiles.shown(file) + " could not be loaded (" + reason
                    + "); moved it to " + RegularFiles.shown(aside.getFileName());
        } catch (IOException e) {
            problem = "Task file " + RegularFiles.shown(file) + " could not be loaded (" + reason
                    + "); moving it aside failed too: " + RegularFiles.shown(e);
        }
        LOG.log(Level.WARNING, problem);
        return problem;
    }
}
