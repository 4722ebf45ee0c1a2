package dev.octo.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.domain.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ConversationStore} does; a subclass names the store. */
public abstract class ConversationStoreContract {

    /** Text shaped like what an LLM library writes, with quotes, escapes, newlines and non-ASCII. */
    public static final String CONVERSATION = """
            [{"type":"SYSTEM","text":"You are a careful writer."},\
            {"type":"USER","contents":[{"type":"TEXT","text":"Résumé the \\"notes\\"\\n→ 日本語 😀"}]},\
            {"type":"AI","text":"Done.\\tTab\\\\backslash"}]
            """;

    private ConversationStore store;

    /** A new, empty store. */
    protected abstract ConversationStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @Test
    void aSavedConversationLoadsExactlyAsSaved() {
        TaskId id = TaskId.of("conv0001");

        store.save(id, CONVERSATION);

        assertThat(store.load(id)).contains(CONVERSATION);
    }

    @Test
    void savingAgainReplacesTheEarlierConversation() {
        TaskId id = TaskId.of("conv0002");
        store.save(id, "[]");

        store.save(id, CONVERSATION);

        assertThat(store.load(id)).contains(CONVERSATION);
    }

    @Test
    void aTaskWithNoSavedConversationLoadsEmpty() {
        assertThat(store.load(TaskId.of("zzzz9999"))).isEmpty();
    }

    @Test
    void conversationsOfDifferentTasksAreKeptApart() {
        store.save(TaskId.of("conv0003"), "first");
        store.save(TaskId.of("conv0004"), "second");

        assertThat(store.load(TaskId.of("conv0003"))).contains("first");
        assertThat(store.load(TaskId.of("conv0004"))).contains("second");
    }

    @Test
    void aDeletedConversationLoadsEmptyAndTheOthersStay() {
        store.save(TaskId.of("conv0006"), CONVERSATION);
        store.save(TaskId.of("conv0007"), "kept");

        store.delete(TaskId.of("conv0006"));

        assertThat(store.load(TaskId.of("conv0006"))).isEmpty();
        assertThat(store.load(TaskId.of("conv0007"))).contains("kept");
    }

    @Test
    void deletingAConversationThatWasNeverSavedDoesNothing() {
        store.delete(TaskId.of("zzzz9999"));

        assertThat(store.load(TaskId.of("zzzz9999"))).isEmpty();
    }

    @Test
    void anEmptyConversationIsStillAConversation() {
        store.save(TaskId.of("conv0005"), "");

        assertThat(store.load(TaskId.of("conv0005"))).contains("");
    }

    @Test
    void concurrentSavesOfManyTasksAreAllKept() throws Exception {
        int threads = 4;
        int idsPerThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < idsPerThread; i++) {
                        TaskId id = TaskId.of(String.format("k%dx%05d", thread, i));
                        store.save(id, "turn 1 of " + id);
                        store.save(id, "turn 2 of " + id);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < idsPerThread; i++) {
                TaskId id = TaskId.of(String.format("k%dx%05d", t, i));
                assertThat(store.load(id)).contains("turn 2 of " + id);
            }
        }
    }
}
