package dev.octo.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TestSeed;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

class RandomTaskIdsTest {

    /** Draws the same id ("aaaaaaaa") {@code repeats} times, then "bbbbbbbb", then "cccccccc"... */
    private static RandomGenerator repeating(int repeats) {
        return new RandomGenerator() {
            private int draws;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int nextInt(int bound) {
                int id = draws++ / TaskId.LENGTH;
                return Math.min(id / repeats, bound - 1);
            }
        };
    }

    @Test
    void neverGivesTheIdOfAStoredTask() {
        InMemoryTaskStore store = new InMemoryTaskStore();
        store.save(Task.dispatch(TaskId.of("aaaaaaaa"), ProcessSpec.of("true", Path.of(".")), Instant.EPOCH));

        TaskId id = new RandomTaskIds(store, repeating(3)).next();

        assertThat(id).isEqualTo(TaskId.of("bbbbbbbb"));
    }

    @Test
    void neverGivesTheSameIdTwiceEvenBeforeItIsStored() {
        RandomTaskIds ids = new RandomTaskIds(new InMemoryTaskStore(), repeating(2));

        assertThat(ids.next()).isEqualTo(TaskId.of("aaaaaaaa"));
        assertThat(ids.next()).isEqualTo(TaskId.of("bbbbbbbb"));
    }

    @Test
    @ExtendWith(TestSeed.class)
    void manyIdsAreAllDifferentAndWellFormed() {
        RandomTaskIds ids = new RandomTaskIds(new InMemoryTaskStore(), new Random(TestSeed.value()));
        Set<TaskId> seen = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
        assertThat(seen).allSatisfy(id -> assertThat(TaskId.isWellFormed(id.value())).isTrue());
    }
}
