package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.TaskStore;
import dev.octo.application.service.StripedLocks;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link TaskStore} that keeps each task in its own JSON file, {@code <dir>/<id>.json}.
 *
 * <p>The store is loaded by its constructor, or, opened with {@link #loadingInBackground}, on a
 * thread of its own that the methods wait for (most of them for the whole load, a few only for its
 * first part). It reads the task index ({@link TaskIndexFile},
 * {@code <dir>/index}), which holds the entry of every final task, and then only the task files the
 * index does not hold: the tasks that are not final and those that ended since the index was
 * written. So a start with 10,000 old tasks reads one small file, not 10,000. The store keeps
 * every task's {@link TaskEntry} in memory, newest first, so {@link #entries()} reads no file and
 * sorts nothing; in full, it keeps the tasks that were not final at start and every task saved
 * since. {@link #find} of any other task reads its file (and keeps nothing of it). An index that
 * is unreadable (cut short, not of this format) is logged and written again from the task files,
 * which are the truth, as is a missing one; one that is behind (tasks that ended since, tasks
 * removed since) is written again once it lags by {@value #INDEX_LAG} tasks, at start or by the save
 * or removal that makes it lag that much, and by {@link #checkpoint} when it lags at all.
 *
 * <p>A task file that cannot be read (not JSON, cut short, an unknown
 * status or kind, a missing field, a {@code schemaVersion} newer than this code reads, an id that
 * differs from the file name, not a regular file, larger than 16 MiB) is renamed
 * to {@code <id>.json.corrupt} (with a numeric suffix when that name is taken), logged, and
 * reported by {@link #loadProblems()}; the other files load. So is a {@code .json} file whose name
 * is not a task id, which no part of Octo would ever read. Temporary files that a crash left behind
 * are deleted. Other files in the folder, such as a process task's logs and exit file or an agent's
 * conversation, are left alone. A final task's file that the index vouched for and that cannot be
 * read when {@link #find} reads it is moved aside and reported in the same way, then.
 *
 * <p>{@link #save} writes a temporary file, fsyncs it, renames it over the task's file and fsyncs
 * the folder before it returns; saves that run at the same time share one folder fsync. Saves of
 * the same id are serialized, so the last one to return is the one on disk and in memory.
 * {@link #stage} changes only what is held in memory, for the next save of the task to write.
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
    /** Made on first use, off the thread that opens the store. */
    private final LazyCodec codec = new LazyCodec(TaskDocument.class);
    /**
     * How many tasks the index may lag behind (ended since it was written, or removed since) before
     * it is written again: a start reads at most about this many task files more than it must.
     */
    static final int INDEX_LAG = 200;
    /** How long a store loading in the background waits to make the index's entries, unless asked. */
    static final long WHOLE_AFTER_MILLIS = 500;

    private final int indexLag;
    private final StripedLocks locks = new StripedLocks();
    /** Every stored task's entry. */
    private final ConcurrentMap<TaskId, TaskEntry> entries = new ConcurrentHashMap<>();
    /** The same entries, newest first. */
    private final NewestFirst newestFirst = new NewestFirst();
    /** The tasks kept in full: those not final at start and every one saved since. */
    private final ConcurrentMap<TaskId, Task> held = new ConcurrentHashMap<>();
    /** The tasks staged since they were last written: {@link #checkpoint} writes them. */
    private final Set<TaskId> staged = ConcurrentHashMap.newKeySet();
    /** Serializes writes of the index. */
    private final ReentrantLock indexLock = new ReentrantLock();
    /** Tasks that ended since the index was written, or since the store opened. */
    private final AtomicInteger unindexed = new AtomicInteger();
    /**
     * Tasks removed since the index was written: the index may still hold them, so a new task that
     * drew one of these ids has the index written first (or a crash would let the old entry stand).
     */
    private final Set<TaskId> removedSinceIndex = ConcurrentHashMap.newKeySet();
    private final List<String> loadProblems = new CopyOnWriteArrayList<>();
    /** Done once the first part of the load is: the tasks that are not final are known. */
    private final CompletableFuture<Void> unfinishedLoaded = new CompletableFuture<>();
    /** Done once the store is loaded; every method but a few waits for it first. */
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    /** Whether the index lacked tasks that had ended, or held removed ones, when the store opened. */
    private volatile boolean indexLaggedAtOpen;
    /** Counted down by the first call that needs the whole store. */
    private final CountDownLatch wholeNeeded = new CountDownLatch(1);

    /**
     * Opens the store on {@code tasksDirectory}, creating the folder when it does not exist, and
     * loads every task file in it.
     *
     * @throws StoreException when the folder cannot be created or listed
     */
    public JsonFileTaskStore(Path tasksDirectory) {
        this(tasksDirectory, INDEX_LAG);
    }

    /** As {@link #JsonFileTaskStore(Path)}, the index written again once it lags by {@code indexLag} tasks. */
    JsonFileTaskStore(Path tasksDirectory, int indexLag) {
        this(tasksDirectory, indexLag, Optional.empty());
    }

    /**
     * As {@link #JsonFileTaskStore(Path)}, the store loaded on a thread of its own, in two parts, so
     * that a start wires the rest of Octo and draws its first prompt meanwhile. The first part checks
     * the index and reads the task files it lacks: then {@link #unfinished}, {@link #loadProblems},
     * and {@link #find} of those tasks answer. The second part makes the entries of the tasks the
     * index holds (10,000 of them take a JVM that has just started some 40 ms): it waits
     * {@value #WHOLE_AFTER_MILLIS} ms after the first, for the start to be over, or until a method
     * that needs it is called. Only the folder is created before this returns; temporary files left
     * by a crash are deleted, and unreadable files moved aside, a moment later. A folder that cannot
     * be listed fails every method.
     *
     * @throws StoreException when the folder cannot be created
     */
    public static JsonFileTaskStore loadingInBackground(Path tasksDirectory) {
        return loadingInBackground(tasksDirectory, Duration.ofMillis(WHOLE_AFTER_MILLIS));
    }

    /** As {@link #loadingInBackground(Path)}, the second part of the load waiting {@code wholeAfter}. */
    static JsonFileTaskStore loadingInBackground(Path tasksDirectory, Duration wholeAfter) {
        return new JsonFileTaskStore(tasksDirectory, INDEX_LAG, Optional.of(wholeAfter));
    }

    private JsonFileTaskStore(Path tasksDirectory, int indexLag, Optional<Duration> inBackground) {
        requireNonNull(tasksDirectory, "tasksDirectory is null");
        if (indexLag < 1) {
            throw new IllegalArgumentException("indexLag must be at least 1, not " + indexLag);
        }
        this.indexLag = indexLag;
        this.files = AtomicFiles.inFolder(tasksDirectory);
        long start = System.nanoTime();
        Runnable load = () -> {
            try {
                FirstPart first = loadUnfinished();
                LOG.log(Level.DEBUG, "read what is not final in {0} in {1} ms", tasksDirectory,
                        (System.nanoTime() - start) / 1_000_000);
                unfinishedLoaded.complete(null);
                if (inBackground.isPresent()
                        && !wholeNeeded.await(inBackground.get().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(Level.DEBUG, "reading the rest of {0} unasked", tasksDirectory);
                }
                long second = System.nanoTime();
                loadIndexed(first);
                LOG.log(Level.INFO, "loaded {0} tasks from {1}: {2} ms, {3} ms of them for the index''s entries",
                        entries.size(), tasksDirectory, (System.nanoTime() - start) / 1_000_000,
                        (System.nanoTime() - second) / 1_000_000);
                loaded.complete(null);
                codec.writer(); // Jackson set up for the first save, after the start
            } catch (Throwable e) {
                unfinishedLoaded.completeExceptionally(e);
                loaded.completeExceptionally(e);
            }
        };
        if (inBackground.isPresent()) {
            Thread.ofPlatform().name("octo-store-load").daemon().start(load);
        } else {
            load.run();
            awaitLoaded();
        }
    }

    /** Waits until the first part of the load is done; throws what stopped it, to every caller. */
    private void awaitUnfinished() {
        await(unfinishedLoaded);
    }

    /** Asks for the second part of the load at once, and waits until it is done. */
    private void awaitLoaded() {
        wholeNeeded.countDown();
        await(loaded);
    }

    private void await(CompletableFuture<Void> part) {
        try {
            part.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new StoreException("Could not load the task folder " + files.directory() + ": "
                        + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void save(Task task) {
        requireNonNull(task, "task is null");
        awaitLoaded();
        byte[] content;
        try {
            content = codec.writer().writeValueAsBytes(TaskDocumentMapper.toDocument(task));
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
            if (removedSinceIndex.contains(task.id()) && !entries.containsKey(task.id())) {
                writeIndex(); // the rare new task whose id an old entry of the index still holds
            }
            files.replace(fileName(task.id()), content);
            staged.remove(task.id());
            held.put(task.id(), task);
            TaskEntry entry = TaskEntry.of(task);
            TaskEntry previous = put(entry);
            if (previous != null && previous.isFinal() && !previous.equals(entry)) {
                // the index may hold the entry it had: rare enough to write the index at once
                writeIndex();
            } else if (task.isFinal() && (previous == null || !previous.isFinal())) {
                unindexed.incrementAndGet();
            }
        } catch (IOException e) {
            throw new StoreException("Could not save task " + task.id() + " to "
                    + files.directory().resolve(fileName(task.id())) + ": " + e, e);
        } finally {
            lock.unlock();
        }
        writeIndexIfBehind();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The task's file keeps its earlier state until the next save. A task that has no file yet,
     * or whose new state is final, is saved at once: the index counts on final states being written.
     */
    @Override
    public void stage(Task task) {
        requireNonNull(task, "task is null");
        awaitLoaded();
        if (task.isFinal()) {
            save(task);
            return;
        }
        ReentrantLock lock = locks.forId(task.id());
        lock.lock();
        try {
            TaskEntry known = entries.get(task.id());
            if (known != null && !known.isFinal()) {
                held.put(task.id(), task);
                put(TaskEntry.of(task));
                staged.add(task.id());
                return;
            }
        } finally {
            lock.unlock();
        }
        save(task);
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
        awaitLoaded();
        ReentrantLock lock = locks.forId(id);
        lock.lock();
        try {
            files.delete(fileName(id));
            staged.remove(id);
            held.remove(id);
            if (remove(id)) {
                removedSinceIndex.add(id);
                unindexed.incrementAndGet();
                if (entries.isEmpty()) {
                    writeIndex();
                }
            }
        } catch (IOException e) {
            throw new StoreException("Could not remove task " + id + " ("
                    + files.directory().resolve(fileName(id)) + "): " + e, e);
        } finally {
            lock.unlock();
        }
        writeIndexIfBehind();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A final task known from the index alone is read from its file, each time: old tasks are
     * asked for one at a time, and keeping them would make memory grow with the store.
     */
    @Override
    public Optional<Task> find(TaskId id) {
        requireNonNull(id, "id is null");
        awaitUnfinished();
        Task task = held.get(id);
        if (task != null) {
            return Optional.of(task);
        }
        awaitLoaded();
        task = held.get(id); // saved meanwhile
        if (task != null) {
            return Optional.of(task);
        }
        return entries.containsKey(id) ? readIndexed(id) : Optional.empty();
    }

    /** {@inheritDoc} Reads the file of every final task known from the index alone. */
    @Override
    public List<Task> list() {
        return entries().stream().map(entry -> find(entry.id())).flatMap(Optional::stream).toList();
    }

    @Override
    public List<TaskEntry> entries() {
        awaitLoaded();
        return newestFirst.list();
    }

    @Override
    public List<Task> unfinished() {
        awaitUnfinished();
        List<Task> unfinished = new ArrayList<>();
        for (Task task : held.values()) {
            if (!task.isFinal()) {
                unfinished.add(task);
            }
        }
        return unfinished;
    }

    @Override
    public boolean contains(TaskId id) {
        requireNonNull(id, "id is null");
        awaitLoaded();
        return entries.containsKey(id);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Waits only for the first part of a load in the background, which reads every file that
     * may be unreadable but those an index vouches for. Also a final task's file found unreadable
     * later: when {@link #find} first read it, or when the second part read the files of a damaged
     * index instead of it.
     */
    @Override
    public List<String> loadProblems() {
        awaitUnfinished();
        return List.copyOf(loadProblems);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes the tasks staged since their last save, so that a clean stop leaves every state on
     * disk, and the index when it lags behind at all, so that the next start reads no task file but
     * those of the tasks that are not final. A store whose load failed has nothing to write.
     */
    @Override
    public void checkpoint() {
        if (!unfinishedLoaded.handle((done, failed) -> failed == null).join()) {
            return;
        }
        if (!loaded.isDone() && !indexLaggedAtOpen) {
            return; // nothing was saved nor removed since (those wait for the whole load): the index is current
        }
        wholeNeeded.countDown();
        if (!loaded.handle((done, failed) -> failed == null).join()) {
            return;
        }
        for (TaskId id : staged) {
            writeStaged(id);
        }
        if (unindexed.get() > 0) {
            writeIndex();
        }
    }

    private void writeStaged(TaskId id) {
        ReentrantLock lock = locks.forId(id);
        lock.lock();
        try {
            Task task = held.get(id);
            if (staged.contains(id) && task != null) {
                save(task);
            }
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "could not write the state of task " + id
                    + " as Octo stops; the next start finds its process", e);
        } finally {
            lock.unlock();
        }
    }

    /** Records {@code entry} by id and in order; returns the entry it replaced, if any. Under the id's lock. */
    private TaskEntry put(TaskEntry entry) {
        TaskEntry previous = entries.put(entry.id(), entry);
        newestFirst.put(entry, previous);
        return previous;
    }

    /** Forgets task {@code id}; returns whether it was known. Under the id's lock. */
    private boolean remove(TaskId id) {
        TaskEntry removed = entries.remove(id);
        if (removed == null) {
            return false;
        }
        newestFirst.remove(removed);
        return true;
    }

    /** Reads the file of a final task known from the index; a file that cannot be read is moved aside. */
    private Optional<Task> readIndexed(TaskId id) {
        Path file = files.directory().resolve(fileName(id));
        try {
            return Optional.of(read(file));
        } catch (InvalidDocumentException e) {
            ReentrantLock lock = locks.forId(id);
            lock.lock();
            try {
                if (held.containsKey(id) || !entries.containsKey(id)) {
                    return Optional.ofNullable(held.get(id)); // saved or removed meanwhile
                }
                if (!Files.exists(file)) {
                    return Optional.empty(); // removed by hand: not a corrupt file
                }
                loadProblems.add(quarantine(file, e.getMessage()));
                remove(id);
                return Optional.empty();
            } finally {
                lock.unlock();
            }
        }
    }

    private void writeIndexIfBehind() {
        if (unindexed.get() >= indexLag && indexLock.tryLock()) {
            try {
                if (unindexed.get() >= indexLag) {
                    writeIndex();
                }
            } finally {
                indexLock.unlock();
            }
        }
    }

    /**
     * Writes the index of every final task known now. A failure is logged, not thrown: the index
     * only saves work, and the next start reads the task files it lacks.
     */
    private void writeIndex() {
        indexLock.lock();
        try {
            // counted and copied before the snapshot: what changes meanwhile counts toward the next write
            int counted = unindexed.get();
            List<TaskId> removed = List.copyOf(removedSinceIndex);
            List<TaskEntry> finals = newestFirst.finals();
            if (finals.isEmpty()) {
                files.delete(TaskIndexFile.FILE_NAME); // a folder cleaned of every task keeps no index either
            } else {
                files.replace(TaskIndexFile.FILE_NAME, TaskIndexFile.write(finals));
            }
            unindexed.addAndGet(-counted);
            removed.forEach(removedSinceIndex::remove);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not write the task index in " + files.directory()
                    + "; the next start reads the task files it lacks", e);
        } finally {
            indexLock.unlock();
        }
    }

    private static String fileName(TaskId id) {
        return id.value() + ".json";
    }

    /**
     * What the second part of the load needs of the first: the index checked, the task files found,
     * and the entries of those the index lacks, which were read.
     */
    private record FirstPart(Optional<TaskIndexFile.Checked> index, List<String> taskFiles, int indexedFound,
            List<TaskEntry> read, int endedSinceIndex) {
    }

    /**
     * The first part of the load: deletes leftover temporary files, checks the index, and reads the
     * task files it lacks (the tasks that are not final among them), moving aside those that cannot
     * be read. What the store knows then is enough for {@link #unfinished} and {@link #loadProblems}.
     */
    private FirstPart loadUnfinished() {
        List<String> taskFiles = new ArrayList<>();
        List<Path> misnamed = new ArrayList<>();
        String indexTemp = AtomicFiles.tempName(TaskIndexFile.FILE_NAME);
        // names alone, not a Path each: the folder of a large store holds tens of thousands of files
        for (String name : fileNames()) {
            // plain string tests first, for the same reason
            if (isTaskFileName(name)) {
                taskFiles.add(name);
            } else if (name.equals(indexTemp) || name.startsWith(".") && TEMP_FILE.matcher(name).matches()) {
                files.deleteLeftover(files.directory().resolve(name));
            } else if (name.endsWith(".json") && !CONVERSATION_FILE.matcher(name).matches()) {
                misnamed.add(files.directory().resolve(name));
            }
        }
        Optional<TaskIndexFile.Checked> index = checkIndex();
        Set<String> indexed = index.map(TaskIndexFile.Checked::ids).orElse(Set.of());
        List<Path> toRead = taskFilesWhoseId(taskFiles, id -> !indexed.contains(id));
        Read read = readFiles(toRead);
        List<String> problems = new ArrayList<>(read.problems());
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
        LOG.log(Level.DEBUG, "{0} tasks in the index, {1} task files read", indexed.size(), toRead.size());
        loadProblems.addAll(problems);
        int indexedFound = taskFiles.size() - toRead.size();
        indexLaggedAtOpen = read.finals() > 0 || indexedFound < indexed.size();
        return new FirstPart(index, taskFiles, indexedFound, read.entries(), read.finals());
    }

    /** What {@link #readFiles} gave: the entries read, how many of them are final, what was moved aside. */
    private record Read(List<TaskEntry> entries, int finals, List<String> problems) {
    }

    /**
     * Reads {@code taskFiles} on every core, keeping every entry, and the tasks that are not final
     * in full; a file that cannot be read is moved aside.
     */
    private Read readFiles(List<Path> taskFiles) {
        AtomicInteger finals = new AtomicInteger();
        Queue<TaskEntry> read = new ConcurrentLinkedQueue<>();
        List<String> problems = taskFiles.parallelStream()
                .<String>mapMulti((file, problem) -> {
                    try {
                        Task task = read(file);
                        TaskEntry entry = TaskEntry.of(task);
                        entries.put(task.id(), entry);
                        read.add(entry);
                        if (task.isFinal()) {
                            // its entry is all a start needs of it: find reads it again when asked
                            finals.incrementAndGet();
                        } else {
                            held.put(task.id(), task);
                        }
                    } catch (InvalidDocumentException e) {
                        problem.accept(quarantine(file, e.getMessage()));
                    }
                })
                .toList();
        return new Read(List.copyOf(read), finals.get(), problems);
    }

    /**
     * The second part of the load: makes the entries of the index, but for the tasks whose files were
     * removed since it was written, and puts them in order with those read by the first part.
     */
    private void loadIndexed(FirstPart first) {
        List<TaskEntry> indexed = List.of();
        boolean indexDamaged = false;
        if (first.index().isPresent()) {
            try {
                indexed = first.index().get().entries();
            } catch (InvalidDocumentException e) {
                indexed = readNamed(first, e);
                indexDamaged = true;
            }
        }
        // the index in its order (newest first), but for the tasks removed since it was written
        List<TaskEntry> all = new ArrayList<>(indexed.size() + first.read().size());
        if (first.indexedFound() == indexed.size()) {
            all.addAll(indexed);
        } else {
            Set<String> onDisk = new HashSet<>();
            for (String name : first.taskFiles()) {
                onDisk.add(name.substring(0, TaskId.LENGTH));
            }
            for (TaskEntry entry : indexed) {
                if (onDisk.contains(entry.id().value())) {
                    all.add(entry);
                }
            }
        }
        for (TaskEntry entry : all) {
            entries.put(entry.id(), entry);
        }
        int removedSince = indexDamaged ? 0 : indexed.size() - all.size();
        all.addAll(first.read());
        newestFirst.reset(all);
        unindexed.set(first.endedSinceIndex() + removedSince);
        if (unindexed.get() >= indexLag || indexDamaged
                || (first.index().isEmpty() && first.endedSinceIndex() > 0)) {
            writeIndex();
        }
    }

    /**
     * The entries of the task files that an index named whose lines, past the id and status that the
     * first part of the load checked, turn out damaged: read from the files, which are the truth. The
     * index says each of them is final, as only final tasks ever go into it; one that is not, which
     * only a hand could make, is kept in full and shown, and the next start takes it up.
     */
    private List<TaskEntry> readNamed(FirstPart first, InvalidDocumentException damage) {
        LOG.log(Level.WARNING, "the task index in {0} cannot be read ({1}); reading the task files it names"
                + " instead, and writing it again", files.directory(), damage.getMessage());
        Read read = readFiles(taskFilesWhoseId(first.taskFiles(), first.index().orElseThrow().ids()::contains));
        loadProblems.addAll(read.problems());
        if (read.finals() < read.entries().size()) {
            LOG.log(Level.WARNING, "{0} of the tasks the index in {1} named are not final: the next start takes"
                    + " them up", read.entries().size() - read.finals(), files.directory());
        }
        return read.entries();
    }

    /** The paths of those of {@code taskFiles} ({@code <id>.json} names) whose id passes {@code test}. */
    private List<Path> taskFilesWhoseId(List<String> taskFiles, Predicate<String> test) {
        List<Path> chosen = new ArrayList<>();
        for (String name : taskFiles) {
            if (test.test(name.substring(0, TaskId.LENGTH))) {
                chosen.add(files.directory().resolve(name));
            }
        }
        return chosen;
    }

    /** The names of the files in the task folder. */
    private List<String> fileNames() {
        try {
            return RegularFiles.names(files.directory());
        } catch (IOException e) {
            throw new StoreException("Could not list the task folder " + files.directory() + ": " + e, e);
        }
    }

    /** Whether {@code name} is {@code <id>.json}, without a regular expression. */
    private static boolean isTaskFileName(String name) {
        if (name.length() != TaskId.LENGTH + 5 || !name.endsWith(".json")) {
            return false;
        }
        for (int i = 0; i < TaskId.LENGTH; i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index, checked whole, or empty when there is none or it cannot be read (which is logged):
     * the task files it lacks are read instead.
     */
    private Optional<TaskIndexFile.Checked> checkIndex() {
        Path file = files.directory().resolve(TaskIndexFile.FILE_NAME);
        try {
            return Optional.of(TaskIndexFile.check(RegularFiles.read(file, MAX_FILE_BYTES * 4)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not read the task index " + file + "; reading every task file instead", e);
            return Optional.empty();
        } catch (InvalidDocumentException e) {
            LOG.log(Level.WARNING, "the task index {0} cannot be read ({1}); reading every task file instead,"
                    + " and writing it again", file, e.getMessage());
            return Optional.empty();
        }
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
        TaskDocument document = Json.read(codec.reader(), content);
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
