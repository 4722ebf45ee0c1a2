package dev.octo.adapters.persistence;

import static dev.octo.application.port.out.TaskStoreContract.T0;
import static dev.octo.application.port.out.TaskStoreContract.applied;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.octo.domain.AgentSpec;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task index of {@link JsonFileTaskStore}: a start lists final tasks from it without reading
 * their files, and whatever state it is found in (missing, cut short, garbage, behind the task
 * files), the tasks a store opened on the folder holds are those of the task files.
 */
class TaskIndexTest {

    @TempDir
    Path dir;

    private static TaskId id(int n) {
        return TaskId.of(String.format("t%07d", n));
    }

    private static Task dispatched(int n) {
        return Task.dispatch(id(n), ProcessSpec.of("make test N=" + n, Path.of("/srv")), T0.plusSeconds(n));
    }

    private static Task running(int n) {
        return applied(dispatched(n).start(T0.plusSeconds(n + 1)));
    }

    private static Task completed(int n) {
        return applied(running(n).complete("ok " + n + "\n\ttabbed \\ line", T0.plusSeconds(n + 5)));
    }

    private static Task failed(int n) {
        return applied(running(n).fail("exit 2", T0.plusSeconds(n + 5)));
    }

    private Path index() {
        return dir.resolve(TaskIndexFile.FILE_NAME);
    }

    private Map<TaskId, TaskEntry> indexOnDisk() throws Exception {
        Map<TaskId, TaskEntry> byId = new LinkedHashMap<>();
        for (TaskEntry entry : TaskIndexFile.read(Files.readAllBytes(index()))) {
            assertThat(byId.put(entry.id(), entry)).as("a second entry of %s", entry.id()).isNull();
        }
        return byId;
    }

    /** Overwrites a task's file behind the store's back, so that reading it would fail. */
    private void spoil(TaskId id) throws IOException {
        Files.writeString(dir.resolve(id.value() + ".json"), "{ not json", UTF_8);
    }

    @Test
    void onceEnoughTasksEndedTheIndexHoldsTheirEntries() throws Exception {
        JsonFileTaskStore store = new JsonFileTaskStore(dir, 3);
        store.save(completed(1));
        store.save(failed(2));
        assertThat(index()).doesNotExist();

        store.save(completed(3));

        assertThat(indexOnDisk()).containsOnlyKeys(id(1), id(2), id(3));
        assertThat(indexOnDisk().get(id(1))).isEqualTo(TaskEntry.of(completed(1)));
    }

    @Test
    void aCheckpointWritesTheIndexThatLagsSoThatTheNextStartReadsOnlyUnfinishedTaskFiles() throws Exception {
        JsonFileTaskStore store = new JsonFileTaskStore(dir, 100);
        store.save(completed(1));
        store.save(running(2));
        store.checkpoint();
        assertThat(indexOnDisk()).containsOnlyKeys(id(1));

        store.save(failed(3));
        store.save(completed(2)); // still usable, and lagging again
        assertThat(indexOnDisk()).containsOnlyKeys(id(1));
        store.checkpoint();
        assertThat(indexOnDisk()).containsOnlyKeys(id(1), id(2), id(3));

        spoil(id(1));
        spoil(id(3)); // vouched for by the index: the next start reads neither
        JsonFileTaskStore reopened = new JsonFileTaskStore(dir, 100);
        assertThat(reopened.entries()).extracting(TaskEntry::id).containsExactly(id(3), id(2), id(1));
        assertThat(reopened.loadProblems()).isEmpty();

        long written = Files.getLastModifiedTime(index()).toMillis();
        Files.setLastModifiedTime(index(), FileTime.fromMillis(written - 60_000));
        reopened.checkpoint(); // nothing lags: nothing is written
        assertThat(Files.getLastModifiedTime(index()).toMillis()).isEqualTo(written - 60_000);
    }

    @Test
    void aStartListsIndexedTasksWithoutReadingTheirFilesAndFindReadsThemWhenAsked() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 2);
        first.save(completed(1));
        first.save(failed(2));
        first.save(running(3));
        spoil(id(2)); // the index vouches for it: a start does not read it

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir, 2);

        assertThat(reopened.entries()).extracting(TaskEntry::id).containsExactly(id(3), id(2), id(1));
        assertThat(reopened.loadProblems()).isEmpty();
        assertThat(reopened.unfinished()).containsExactly(running(3));
        assertThat(reopened.find(id(1))).contains(completed(1));

        // read when asked for, it is found unreadable then: moved aside and reported, like at a start
        assertThat(reopened.find(id(2))).isEmpty();
        assertThat(reopened.loadProblems()).singleElement().asString()
                .contains(id(2).value() + ".json").contains("moved it to " + id(2).value() + ".json.corrupt");
        assertThat(dir.resolve(id(2).value() + ".json.corrupt")).exists();
        assertThat(reopened.entries()).extracting(TaskEntry::id).containsExactly(id(3), id(1));
        assertThat(reopened.contains(id(2))).isFalse();
    }

    @Test
    void aMissingIndexIsWrittenAgainFromTheTaskFiles() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 2);
        List<Task> tasks = List.of(completed(1), failed(2), completed(3), running(4));
        tasks.forEach(first::save);
        Files.delete(index());

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir, 2);

        assertThat(reopened.list()).containsExactlyInAnyOrderElementsOf(tasks);
        assertThat(indexOnDisk()).containsOnlyKeys(id(1), id(2), id(3));
    }

    @Test
    void anIndexCutShortOrOfGarbageIsWrittenAgainAndLosesNothing() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 1);
        List<Task> tasks = List.of(completed(1), failed(2), completed(3));
        tasks.forEach(first::save);
        byte[] whole = Files.readAllBytes(index());
        List<byte[]> spoiled = List.of(
                Arrays.copyOf(whole, whole.length / 2), // a write cut short (it never is: it is renamed into place)
                Arrays.copyOf(whole, whole.length - 1), // the end line without its line feed
                "garbage\n".getBytes(UTF_8),
                new byte[0],
                new String(whole, UTF_8).replace("completed", "running").getBytes(UTF_8),
                // each field checked before the first prompt, so that making the entries later cannot fail
                new String(whole, UTF_8).replaceFirst("\tcompleted\t", "\tcompleted\t1x.5").getBytes(UTF_8),
                new String(whole, UTF_8).replace("N=1\n", "N=1\\q\n").getBytes(UTF_8),
                new String(whole, UTF_8).replaceFirst("\nt0000001", "\nT0000001").getBytes(UTF_8),
                new String(whole, UTF_8).replaceFirst("\tprocess\t", "\tprocedure\t").getBytes(UTF_8),
                twice(new String(whole, UTF_8)).getBytes(UTF_8));
        for (byte[] content : spoiled) {
            assertThat(content).as("a spoiled index").isNotEqualTo(whole);
            Files.write(index(), content);

            JsonFileTaskStore reopened = new JsonFileTaskStore(dir, 1000);

            assertThat(reopened.list()).containsExactlyInAnyOrderElementsOf(tasks);
            assertThat(reopened.loadProblems()).isEmpty();
            assertThat(indexOnDisk()).containsOnlyKeys(id(1), id(2), id(3));
        }
    }

    /** {@code index} with its first entry twice, and an end line that counts it twice. */
    private static String twice(String index) {
        List<String> lines = new ArrayList<>(index.lines().toList());
        lines.add(1, lines.get(1));
        lines.set(lines.size() - 1, "end " + (lines.size() - 2));
        return String.join("\n", lines) + "\n";
    }

    @Test
    void anIndexBehindTheTaskFilesGivesWayToThem() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 2);
        first.save(completed(1));
        first.save(completed(2));
        byte[] written = Files.readAllBytes(index());
        // since then: one removed, one ended, one new
        JsonFileTaskStore second = new JsonFileTaskStore(dir, 1000);
        second.delete(id(1));
        second.save(running(3));
        second.save(failed(3));
        second.save(dispatched(4));
        assertThat(Files.readAllBytes(index())).isEqualTo(written);

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir, 1000);

        assertThat(reopened.list()).containsExactlyInAnyOrder(completed(2), failed(3), dispatched(4));
        assertThat(reopened.contains(id(1))).isFalse();
        assertThat(reopened.unfinished()).containsExactly(dispatched(4));
    }

    @Test
    void theIndexKeepsInStepWithSavesAndRemovals() throws Exception {
        JsonFileTaskStore store = new JsonFileTaskStore(dir, 1);
        for (int n = 1; n <= 5; n++) {
            store.save(completed(n));
        }
        store.save(running(6));
        assertThat(indexOnDisk()).containsOnlyKeys(id(1), id(2), id(3), id(4), id(5));

        store.delete(id(2));
        store.delete(id(4));
        assertThat(indexOnDisk()).containsOnlyKeys(id(1), id(3), id(5));

        store.save(completed(6));
        assertThat(indexOnDisk()).containsOnlyKeys(id(1), id(3), id(5), id(6));
        assertThat(new JsonFileTaskStore(dir, 1).entries()).extracting(TaskEntry::id)
                .containsExactly(id(6), id(5), id(3), id(1));
    }

    @Test
    void removingEveryTaskRemovesTheIndexToo() throws Exception {
        JsonFileTaskStore store = new JsonFileTaskStore(dir, 1000);
        store.save(completed(1));
        store.save(failed(2));
        new JsonFileTaskStore(dir, 1000); // a start that read ended tasks without an index writes one
        assertThat(indexOnDisk()).containsOnlyKeys(id(1), id(2));
        JsonFileTaskStore reopened = new JsonFileTaskStore(dir, 1000);

        reopened.delete(id(1));
        assertThat(index()).exists();
        reopened.delete(id(2));

        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aNewTaskThatDrawsTheIdOfARemovedIndexedOneIsNeverTakenForIt() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 1);
        first.save(completed(1));
        assertThat(indexOnDisk()).containsOnlyKeys(id(1));
        JsonFileTaskStore second = new JsonFileTaskStore(dir, 1000);
        second.delete(id(1));
        second.save(running(1));

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir, 1000);

        assertThat(reopened.find(id(1))).contains(running(1));
        assertThat(reopened.unfinished()).containsExactly(running(1));
    }

    @Test
    void aFinalTaskSavedAgainWithAnotherEntryIsNotShownAsItWas() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 1);
        first.save(completed(1));
        Task changed = new Task(completed(1).id(), ProcessSpec.of("make other", Path.of("/srv")), TaskStatus.COMPLETED,
                completed(1).createdAt(), completed(1).startedAt(), completed(1).finishedAt(), Optional.of("other"),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 1, Optional.empty(), Optional.empty(),
                completed(1).usage(), completed(1).updatedAt());
        new JsonFileTaskStore(dir, 1000).save(changed);

        assertThat(new JsonFileTaskStore(dir, 1000).entries()).containsExactly(TaskEntry.of(changed));
    }

    @Test
    void aTemporaryIndexLeftByAKilledWriteIsDeletedAndTheIndexStandsWhole() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 1);
        first.save(completed(1));
        first.save(completed(2));
        byte[] whole = Files.readAllBytes(index());
        Path temp = dir.resolve(AtomicFiles.tempName(TaskIndexFile.FILE_NAME));
        Files.write(temp, Arrays.copyOf(whole, 20)); // killed while it wrote the next one

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir, 1000);

        assertThat(temp).doesNotExist();
        assertThat(Files.readAllBytes(index())).isEqualTo(whole);
        assertThat(reopened.list()).containsExactlyInAnyOrder(completed(1), completed(2));
    }

    @Test
    void summariesWithTabsLineBreaksAndBackslashesRoundTrip() throws Exception {
        Task agent = applied(applied(Task.dispatch(TaskId.of("agent001"),
                AgentSpec.of("review\tthis\r\nand \\n that\\", Path.of("/srv")), T0).start(T0))
                .complete("done", T0.plusSeconds(3)));
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 1);
        first.save(agent);

        assertThat(indexOnDisk().get(agent.id())).isEqualTo(TaskEntry.of(agent));
        assertThat(new JsonFileTaskStore(dir, 1000).entries()).containsExactly(TaskEntry.of(agent));
    }

    /**
     * Recovery with a large store: the tasks a start picks up (the ones that are not final) come in
     * full from their own files, whatever the index says, while thousands of old ones come from it.
     */
    @Test
    void aLargeStoreStartsWithEveryUnfinishedTaskInFull() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir);
        List<Task> unfinished = new ArrayList<>();
        for (int n = 1; n <= 3000; n++) {
            first.save(n % 2 == 0 ? completed(n) : failed(n));
        }
        for (int n = 3001; n <= 3010; n++) {
            Task task = n % 2 == 0 ? running(n) : dispatched(n);
            first.save(task);
            unfinished.add(task);
        }

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

        assertThat(reopened.entries()).hasSize(3010);
        assertThat(reopened.entries().getFirst().id()).isEqualTo(id(3010));
        assertThat(reopened.unfinished()).containsExactlyInAnyOrderElementsOf(unfinished);
        assertThat(indexOnDisk()).hasSize(3000);
        assertThat(reopened.find(id(2999))).contains(failed(2999));
    }
    /**
     * Opened as Octo opens it, the store reads its index and files on a thread of its own: whichever
     * method is called first, right after it opens, answers from the whole store.
     */
    @Test
    void aStoreLoadingInTheBackgroundAnswersEveryMethodFromTheWholeStore() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 1000);
        List<Task> unfinished = new ArrayList<>();
        for (int n = 1; n <= 3000; n++) {
            first.save(completed(n));
        }
        for (int n = 3001; n <= 3005; n++) {
            first.save(running(n));
            unfinished.add(running(n));
        }
        new JsonFileTaskStore(dir, 1000); // writes the index: the next ones read it, and the task files
        first.save(completed(3006)); // ended since the index was written, read from its file
        spoil(id(3000));
        Files.delete(index()); // read from the files: every task's file, the spoiled one too

        assertThat(JsonFileTaskStore.loadingInBackground(dir).contains(id(3006))).isTrue();
        assertThat(JsonFileTaskStore.loadingInBackground(dir).entries()).hasSize(3005);
        assertThat(JsonFileTaskStore.loadingInBackground(dir).unfinished())
                .containsExactlyInAnyOrderElementsOf(unfinished);
        assertThat(JsonFileTaskStore.loadingInBackground(dir).find(id(1))).contains(completed(1));
        JsonFileTaskStore saving = JsonFileTaskStore.loadingInBackground(dir);
        saving.save(dispatched(4000));
        assertThat(saving.entries()).hasSize(3006);
        assertThat(new JsonFileTaskStore(dir).entries()).hasSize(3006);

        assertThat(new JsonFileTaskStore(dir).loadProblems()).isEmpty(); // moved aside by the first
        assertThat(dir.resolve(id(3000).value() + ".json")).doesNotExist();
    }

    /**
     * Loading in the background, the store answers what a start asks before its first prompt from
     * the first part of its load, while the second, which makes the entries of the index, waits;
     * a method that needs the whole store asks for it.
     */
    @Test
    void whatAStartAsksFirstIsAnsweredBeforeTheEntriesOfTheIndexAreMade() throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 1);
        for (int n = 1; n <= 100; n++) {
            first.save(completed(n));
        }
        first.save(running(101));
        first.save(dispatched(102));
        new JsonFileTaskStore(dir, 1000).save(completed(103)); // ended since the index was written
        spoil(id(104)); // not in the index either: moved aside by the first part

        JsonFileTaskStore store = JsonFileTaskStore.loadingInBackground(dir, Duration.ofHours(1));

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThat(store.unfinished()).containsExactlyInAnyOrder(running(101), dispatched(102));
            assertThat(store.loadProblems()).singleElement().asString().contains(id(104).value() + ".json");
            assertThat(store.find(id(102))).contains(dispatched(102));
        }, "the first part alone answers");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThat(store.entries()).hasSize(103);
            assertThat(store.entries().getFirst().id()).isEqualTo(id(103));
            assertThat(store.find(id(7))).contains(completed(7));
        }, "asked for, the second part does not wait its hour");
    }

    /**
     * Only final tasks go into the index, and a start takes up those that are not from their own
     * files. An index whose line is damaged past the id and status is found so only when its
     * entries are made; then the files it names are read instead, and one of them made unfinished by
     * hand shows, and is taken up by the next start, from the index written again.
     */
    @Test
    void anIndexDamagedPastTheStatusesGivesWayToTheFilesItNames(@TempDir Path elsewhere) throws Exception {
        JsonFileTaskStore first = new JsonFileTaskStore(dir, 1);
        first.save(completed(1));
        first.save(completed(2));
        new JsonFileTaskStore(elsewhere).save(running(2));
        Files.copy(elsewhere.resolve(id(2).value() + ".json"), dir.resolve(id(2).value() + ".json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(index(), Files.readString(index()).replaceFirst("\tcompleted\t", "\tcompleted\tx"));

        JsonFileTaskStore reopened = new JsonFileTaskStore(dir);

        assertThat(reopened.list()).containsExactlyInAnyOrder(completed(1), running(2));
        assertThat(reopened.unfinished()).containsExactly(running(2));
        assertThat(reopened.loadProblems()).isEmpty();
        assertThat(indexOnDisk()).containsOnlyKeys(id(1));
        assertThat(JsonFileTaskStore.loadingInBackground(dir).unfinished()).containsExactly(running(2));
    }
}
