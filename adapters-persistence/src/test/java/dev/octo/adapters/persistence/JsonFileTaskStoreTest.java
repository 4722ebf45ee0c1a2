package dev.octo.adapters.persistence;

import static dev.octo.application.port.out.TaskStoreContract.T0;
import static dev.octo.application.port.out.TaskStoreContract.applied;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.TaskStoreContract;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class JsonFileTaskStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Task runningTask(String id) {
        return applied(Task.dispatch(TaskId.of(id), ProcessSpec.of("sleep 60", Path.of("/srv")), T0)
                .start(T0.plusSeconds(1)));
    }

    @Test
    void aStoreOpenedLaterOnTheSameFolderFindsEverySavedTask() {
        List<Task> tasks = TaskStoreContract.tasksInEveryStatus();
        JsonFileTaskStore first = new JsonFileTaskStore(dir);
        tasks.forEach(first::save);

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

        assertThat(reopened.list()).containsExactlyInAnyOrderElementsOf(tasks);
        for (Task task : tasks) {
            assertThat(reopened.find(task.id())).contains(task);
        }
        assertThat(reopened.loadProblems()).isEmpty();
    }

    @Test
    void aStagedStateIsFoundAndListedButWrittenOnlyByTheNextSave() {
        Task dispatched = Task.dispatch(TaskId.of("stag0001"), ProcessSpec.of("sleep 60", Path.of("/srv")), T0);
        JsonFileTaskStore store = new JsonFileTaskStore(dir);
        store.save(dispatched);
        Task running = applied(dispatched.start(T0.plusSeconds(1)));

        store.stage(running);

        assertThat(store.find(running.id())).contains(running);
        assertThat(store.list()).containsExactly(running);
        assertThat(store.unfinished()).containsExactly(running);
        // as after a crash: the file still holds the state saved last
        assertThat(new JsonFileTaskStore(dir).find(running.id())).contains(dispatched);

        Task recorded = running.withProcess(new ProcessRef(4242, T0.plusSeconds(1)), T0.plusSeconds(2));
        store.save(recorded);
        assertThat(new JsonFileTaskStore(dir).find(running.id())).contains(recorded);
    }

    @Test
    void aCheckpointWritesTheStatesStagedSinceTheirLastSaveAndNoOther() throws IOException {
        Task dispatched = Task.dispatch(TaskId.of("stag0004"), ProcessSpec.of("sleep 60", Path.of("/srv")), T0);
        Task other = Task.dispatch(TaskId.of("stag0005"), ProcessSpec.of("sleep 60", Path.of("/srv")), T0);
        JsonFileTaskStore store = new JsonFileTaskStore(dir);
        store.save(dispatched);
        store.save(other);
        Task recorded = applied(dispatched.start(T0.plusSeconds(1)))
                .withProcess(new ProcessRef(4242, T0.plusSeconds(1)), T0.plusSeconds(2));
        store.stage(recorded);
        Path otherFile = dir.resolve("stag0005.json");
        Files.setLastModifiedTime(otherFile, FileTime.from(T0));

        store.checkpoint();

        assertThat(new JsonFileTaskStore(dir).find(recorded.id())).contains(recorded);
        assertThat(Files.getLastModifiedTime(otherFile)).isEqualTo(FileTime.from(T0)); // not written again
        // written once: a second checkpoint has nothing staged left to write
        Files.setLastModifiedTime(dir.resolve("stag0004.json"), FileTime.from(T0));
        store.checkpoint();
        assertThat(Files.getLastModifiedTime(dir.resolve("stag0004.json"))).isEqualTo(FileTime.from(T0));
    }

    @Test
    void aStagedTaskWithoutAFileOrInAFinalStateIsSavedAtOnce() {
        Task running = runningTask("stag0002");
        Task completed = applied(runningTask("stag0003").complete("done", T0.plusSeconds(5)));
        JsonFileTaskStore store = new JsonFileTaskStore(dir);

        store.stage(running);
        store.stage(completed);

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);
        assertThat(reopened.find(running.id())).contains(running);
        assertThat(reopened.find(completed.id())).contains(completed);
    }

    @Test
    void theFileOnDiskIsJsonWithSchemaVersionOne() throws IOException {
        Task task = runningTask("file0001");
        new JsonFileTaskStore(dir).save(task);

        JsonNode file = JSON.readTree(dir.resolve("file0001.json").toFile());

        assertThat(file.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(file.get("id").asText()).isEqualTo("file0001");
        assertThat(file.get("status").asText()).isEqualTo("running");
        assertThat(file.get("createdAt").asText()).isEqualTo("2025-03-01T10:15:30.123456789Z");
        assertThat(file.get("spec").get("kind").asText()).isEqualTo("process");
        assertThat(file.get("spec").get("command").asText()).isEqualTo("sleep 60");
        assertThat(file.get("spec").has("prompt")).as("agent fields are left out of a process spec").isFalse();
    }

    @Test
    void unreadableFilesAreMovedAsideAndReportedWhileTheOthersLoad() throws IOException {
        Task good = runningTask("good0001");
        new JsonFileTaskStore(dir).save(good);
        String goodJson = Files.readString(dir.resolve("good0001.json"));
        Files.writeString(dir.resolve("trnc0001.json"),
                goodJson.replace("good0001", "trnc0001").substring(0, goodJson.length() / 2));
        Files.writeString(dir.resolve("garb0001.json"), "garbage, not JSON at all");
        Files.write(dir.resolve("bin00001.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        Files.writeString(dir.resolve("stat0001.json"),
                goodJson.replace("good0001", "stat0001").replace("\"running\"", "\"exploded\""));
        Files.writeString(dir.resolve("kind0001.json"),
                goodJson.replace("good0001", "kind0001").replace("\"process\"", "\"robot\""));
        Files.writeString(dir.resolve("miss0001.json"), withoutField(goodJson.replace("good0001", "miss0001"), "createdAt"));
        Files.writeString(dir.resolve("name0001.json"), goodJson);
        Files.writeString(dir.resolve("vers0001.json"),
                goodJson.replace("good0001", "vers0001").replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"));
        Files.writeString(dir.resolve("null0001.json"), "null");
        Files.writeString(dir.resolve("empt0001.json"), "");
        List<String> bad = List.of("trnc0001", "garb0001", "bin00001", "stat0001", "kind0001", "miss0001",
                "name0001", "vers0001", "null0001", "empt0001");

        JsonFileTaskStore store = new JsonFileTaskStore(dir);

        assertThat(store.list()).containsExactly(good);
        assertThat(store.loadProblems()).hasSize(bad.size());
        for (String id : bad) {
            assertThat(dir.resolve(id + ".json")).doesNotExist();
            assertThat(dir.resolve(id + ".json.corrupt")).exists();
            assertThat(store.loadProblems()).as(id).anySatisfy(problem -> assertThat(problem)
                    .contains(dir.resolve(id + ".json").toString()).contains(id + ".json.corrupt"));
        }
        assertThat(problemAbout(store, "stat0001")).contains("unknown status 'exploded'");
        assertThat(problemAbout(store, "kind0001")).contains("unknown task kind 'robot'");
        assertThat(problemAbout(store, "miss0001")).contains("'createdAt' is missing");
        assertThat(problemAbout(store, "name0001")).contains("holds task good0001");
        assertThat(problemAbout(store, "vers0001")).contains("schemaVersion 2 is newer");
        assertThat(new JsonFileTaskStore(dir).loadProblems()).as("a quarantined file is not reported again").isEmpty();
    }

    @Test
    void aCorruptFileWhoseQuarantineNameIsTakenGetsANumericSuffix() throws IOException {
        Files.writeString(dir.resolve("twic0001.json.corrupt"), "the first broken file");
        Files.writeString(dir.resolve("twic0001.json.corrupt.1"), "the second broken file");
        Files.writeString(dir.resolve("twic0001.json"), "{");

        JsonFileTaskStore store = new JsonFileTaskStore(dir);

        assertThat(dir.resolve("twic0001.json.corrupt.2")).hasContent("{");
        assertThat(dir.resolve("twic0001.json.corrupt")).hasContent("the first broken file");
        assertThat(dir.resolve("twic0001.json.corrupt.1")).hasContent("the second broken file");
        assertThat(store.loadProblems()).singleElement().asString().contains("twic0001.json.corrupt.2");
    }

    @Test
    void aTaskCanBeSavedAgainAfterItsFileWasQuarantined() throws IOException {
        Files.writeString(dir.resolve("back0001.json"), "{\"schemaVersion\": 1");
        JsonFileTaskStore store = new JsonFileTaskStore(dir);
        Task task = runningTask("back0001");

        store.save(task);

        assertThat(new JsonFileTaskStore(dir).find(task.id())).contains(task);
    }

    @Test
    void fieldsThisVersionDoesNotKnowAreIgnored() throws IOException {
        Task task = runningTask("xtra0001");
        new JsonFileTaskStore(dir).save(task);
        ObjectNode file = (ObjectNode) JSON.readTree(dir.resolve("xtra0001.json").toFile());
        file.put("priority", "high");
        file.putObject("futureSection").put("nested", true);
        ((ObjectNode) file.get("spec")).put("sandbox", "strict");
        JSON.writeValue(dir.resolve("xtra0001.json").toFile(), file);

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

        assertThat(reopened.find(task.id())).contains(task);
        assertThat(reopened.loadProblems()).isEmpty();
    }

    @Test
    void temporaryFilesLeftByACrashAreDeletedOnOpenAndOtherFilesAreLeftAlone() throws IOException {
        Task task = runningTask("kept0001");
        new JsonFileTaskStore(dir).save(task);
        Files.writeString(dir.resolve(".kept0001.json.tmp"), "{\"schemaVer");
        Files.writeString(dir.resolve(".lost0001.json.tmp"), "{}");
        List<String> others = List.of("kept0001.out.log", "kept0001.err.log", "kept0001.exit",
                "kept0001.conversation.json", ".kept0001.conversation.json.tmp", "old00001.json.corrupt",
                "notes.txt", "README.md");
        for (String other : others) {
            Files.writeString(dir.resolve(other), "not a task");
        }

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

        assertThat(dir.resolve(".kept0001.json.tmp")).doesNotExist();
        assertThat(dir.resolve(".lost0001.json.tmp")).doesNotExist();
        for (String other : others) {
            assertThat(dir.resolve(other)).hasContent("not a task");
        }
        assertThat(reopened.list()).containsExactly(task);
        assertThat(reopened.loadProblems()).isEmpty();
    }

    @Nested
    class SpecialFiles {

        // a separate thread: a test blocked in opening a FIFO could not be interrupted
        @Test
        @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void aFifoIsMovedAsideWithoutBeingOpened() throws Exception {
            Task task = runningTask("kept0001");
            new JsonFileTaskStore(dir).save(task);
            mkfifo(dir.resolve("ffffffff.json"));

            JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

            assertThat(reopened.list()).containsExactly(task);
            assertThat(reopened.loadProblems()).singleElement().asString()
                    .contains(dir.resolve("ffffffff.json") + " could not be loaded (it is a FIFO (named pipe), not a"
                            + " regular file); moved it to ffffffff.json.corrupt");
            assertThat(dir.resolve("ffffffff.json")).doesNotExist();
            assertThat(Files.readAttributes(dir.resolve("ffffffff.json.corrupt"), BasicFileAttributes.class).isOther())
                    .as("the FIFO itself was moved").isTrue();
        }

        @Test
        @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void aSymbolicLinkIsMovedAsideWithoutBeingFollowed() throws IOException {
            Task task = runningTask("kept0001");
            new JsonFileTaskStore(dir).save(task);
            Files.createSymbolicLink(dir.resolve("zzzzzzzz.json"), Path.of("/dev/zero"));
            // a link to a valid task file is not followed either: the folder holds files, not links
            Files.createSymbolicLink(dir.resolve("link0001.json"), dir.resolve("kept0001.json"));

            JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

            assertThat(reopened.list()).containsExactly(task);
            assertThat(problemAbout(reopened, "zzzzzzzz")).contains(
                    "could not be loaded (it is a symbolic link to /dev/zero, not a regular file); moved it to"
                            + " zzzzzzzz.json.corrupt");
            assertThat(problemAbout(reopened, "link0001")).contains("it is a symbolic link to " + dir.resolve("kept0001.json"));
            assertThat(Files.isSymbolicLink(dir.resolve("zzzzzzzz.json.corrupt"))).isTrue();
            assertThat(dir.resolve("kept0001.json")).exists();
        }

        @Test
        @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void aFileLargerThanTheBoundIsMovedAsideUnread() throws IOException {
            Task task = runningTask("kept0001");
            new JsonFileTaskStore(dir).save(task);
            try (RandomAccessFile big = new RandomAccessFile(dir.resolve("bigg0001.json").toFile(), "rw")) {
                big.setLength(6L << 30); // sparse: no disk is used
            }

            JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

            assertThat(reopened.list()).containsExactly(task);
            assertThat(reopened.loadProblems()).singleElement().asString().contains(
                    "could not be loaded (it is 6 GiB, more than the 16 MiB such a file may hold); moved it to"
                            + " bigg0001.json.corrupt");
        }

        @Test
        void aFolderIsMovedAside() throws IOException {
            Files.createDirectory(dir.resolve("fold0001.json"));

            JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

            assertThat(reopened.loadProblems()).singleElement().asString()
                    .contains("(it is a folder, not a regular file); moved it to fold0001.json.corrupt");
            assertThat(dir.resolve("fold0001.json.corrupt")).isDirectory();
        }

        @Test
        void aTaskTooLargeToBeReadBackIsNotSaved() {
            JsonFileTaskStore store = new JsonFileTaskStore(dir);
            Task small = runningTask("huge0001");
            store.save(small);
            Task huge = applied(small.complete("x".repeat(JsonFileTaskStore.MAX_FILE_BYTES), T0.plusSeconds(9)));

            assertThatThrownBy(() -> store.save(huge))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("huge0001")
                    .hasMessageContaining("more than the 16 MiB a task file may hold");
            assertThat(store.find(small.id())).contains(small);
            assertThat(new JsonFileTaskStore(dir).find(small.id())).contains(small);
        }
    }

    static void mkfifo(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        String output = new String(mkfifo.getInputStream().readAllBytes(), UTF_8);
        assertThat(mkfifo.waitFor()).as("mkfifo: %s", output).isZero();
    }

    @Test
    void aJsonFileWhoseNameIsNotATaskIdIsMovedAsideAndReported() throws IOException {
        Task task = runningTask("kept0001");
        new JsonFileTaskStore(dir).save(task);
        Files.writeString(dir.resolve("xxxx.json"), "{ broken");
        Files.writeString(dir.resolve("README.json"), "{}");
        Files.writeString(dir.resolve("KEPT0001.json"), Files.readString(dir.resolve("kept0001.json")));
        Files.writeString(dir.resolve("oops.conversation.json"), "{}");
        Files.writeString(dir.resolve("esc\u001b[2J.json"), "{}");

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

        assertThat(reopened.list()).containsExactly(task);
        assertThat(reopened.loadProblems()).hasSize(5);
        for (String name : List.of("xxxx.json", "README.json", "KEPT0001.json", "oops.conversation.json")) {
            assertThat(dir.resolve(name)).doesNotExist();
            assertThat(dir.resolve(name + ".corrupt")).exists();
            assertThat(reopened.loadProblems()).as(name).anySatisfy(problem -> assertThat(problem)
                    .contains(dir.resolve(name) + " could not be loaded (its name is not a task id")
                    .endsWith("moved it to " + name + ".corrupt"));
        }
        assertThat(dir.resolve("xxxx.json.corrupt")).hasContent("{ broken");
        assertThat(reopened.loadProblems()).as("a file name is shown with its control characters escaped")
                .anySatisfy(problem -> assertThat(problem).contains("esc\\u001b[2J.json"))
                .noneSatisfy(problem -> assertThat(problem).contains("\u001b"));
        assertThat(new JsonFileTaskStore(dir).loadProblems()).as("reported once").isEmpty();
    }

    @Test
    void unusualAndVeryLongTextRoundTrips() {
        StringBuilder megabyte = new StringBuilder();
        while (megabyte.length() < 1_048_576) {
            megabyte.append("line ").append(megabyte.length()).append(": ünïcödé 日本 😀 \"q\" \\ \t\r\n");
        }
        // a lone surrogate (from a string cut in the middle of an emoji), NUL and control characters,
        // and the replacement character a decoder puts where the bytes were not UTF-8
        String odd = "cut \uD83D here, NUL \u0000, bell \u0007, escape \u001B[31m, replaced \uFFFD\uFFFD";
        Task running = runningTask("long0001");
        Task completed = applied(running.complete(megabyte + odd, T0.plusSeconds(9)));
        Task failed = applied(runningTask("long0002").fail(odd, T0.plusSeconds(9)));
        JsonFileTaskStore store = new JsonFileTaskStore(dir);
        store.save(completed);
        store.save(failed);

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

        assertThat(reopened.find(completed.id())).contains(completed);
        assertThat(reopened.find(failed.id())).contains(failed);
        assertThat(reopened.find(completed.id()).orElseThrow().result().orElseThrow()).hasSizeGreaterThan(1_000_000);
    }

    @Test
    void afterConcurrentSavesOfOneIdTheFileAndTheMemoryAgree() throws Exception {
        JsonFileTaskStore store = new JsonFileTaskStore(dir);
        TaskId id = TaskId.of("race0001");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        store.save(Task.dispatch(id, ProcessSpec.of("echo " + thread + "-" + i, Path.of("/srv")), T0));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(new JsonFileTaskStore(dir).find(id)).isEqualTo(store.find(id));
    }

    @Test
    void aSaveThatCannotWriteFailsAndKeepsTheEarlierState() throws IOException {
        Path tasks = dir.resolve("tasks");
        JsonFileTaskStore store = new JsonFileTaskStore(tasks);
        Task dispatched = Task.dispatch(TaskId.of("fail0001"), ProcessSpec.of("true", Path.of("/srv")), T0);
        store.save(dispatched);
        // the folder turns into a plain file: nothing can be written in it any more
        deleteTree(tasks);
        Files.writeString(tasks, "in the way");

        assertThatThrownBy(() -> store.save(applied(dispatched.start(T0.plusSeconds(1)))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("fail0001");
        assertThat(store.find(dispatched.id())).contains(dispatched);
    }

    @Test
    void aDeletedTaskLeavesNoFileAndAStoreOpenedLaterDoesNotLoadIt() throws IOException {
        JsonFileTaskStore store = new JsonFileTaskStore(dir);
        Task gone = applied(runningTask("gone0001").complete("done", T0.plusSeconds(5)));
        Task kept = runningTask("kept0002");
        store.save(gone);
        store.save(kept);
        // the files of other ports are theirs to remove
        Files.writeString(dir.resolve("gone0001.out.log"), "output");
        Files.writeString(dir.resolve("gone0001.conversation.json"), "{}");

        store.delete(gone.id());

        assertThat(dir.resolve("gone0001.json")).doesNotExist();
        assertThat(dir.resolve("gone0001.out.log")).hasContent("output");
        assertThat(dir.resolve("gone0001.conversation.json")).hasContent("{}");
        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);
        assertThat(reopened.list()).containsExactly(kept);
        assertThat(reopened.loadProblems()).isEmpty();
    }

    @Test
    void aDeleteThatCannotRemoveTheFileFailsAndKeepsTheTask() throws IOException {
        JsonFileTaskStore store = new JsonFileTaskStore(dir);
        Task task = applied(runningTask("stck0001").fail("exit code 1", T0.plusSeconds(5)));
        store.save(task);
        // a directory that is not empty cannot be removed as a file is
        Files.delete(dir.resolve("stck0001.json"));
        Files.createDirectories(dir.resolve("stck0001.json"));
        Files.writeString(dir.resolve("stck0001.json").resolve("inside"), "x");

        assertThatThrownBy(() -> store.delete(task.id()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("stck0001");
        assertThat(store.find(task.id())).contains(task);
    }

    @Test
    void aFolderThatDoesNotExistYetIsCreated() {
        Path tasks = dir.resolve("new/.octo/tasks");

        JsonFileTaskStore store = new JsonFileTaskStore(tasks);
        store.save(runningTask("make0001"));

        assertThat(tasks.resolve("make0001.json")).exists();
    }

    private static String problemAbout(JsonFileTaskStore store, String id) {
        return store.loadProblems().stream().filter(problem -> problem.contains(id + ".json ")).findFirst().orElseThrow();
    }

    private static String withoutField(String json, String field) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        node.remove(field);
        return JSON.writeValueAsString(node);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
