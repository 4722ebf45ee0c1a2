package dev.octo.application.port.out;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.Task;
import java.util.Optional;

/**
 * Runs agent tasks: an LLM with its own tools and conversation. The runner keeps the conversation
 * in the {@link ConversationStore} after every turn, so a task can go on from its last saved turn
 * after a pause or a restart.
 */
public interface AgentRunner {

    /**
     * Runs {@code task} (RUNNING, perhaps with an answer to its last question in
     * {@link Task#answer()}) until the agent completes, escalates or fails, telling {@code progress}
     * of every turn once its conversation is saved. Its turns and tokens so far are in
     * {@link Task#usage()}: its limits count them. Blocks the calling thread; an interrupt stops it
     * soon, abandoning a call of the model in flight and killing a command it runs, with
     * {@link Outcome.Stopped}.
     */
    default Outcome run(Task task, Progress progress) {
        return run(task);
    }

    /**
     * As {@link #run(Task, Progress)}, telling nobody of its turns. The one abstract method, so that
     * a runner that keeps no count of turns can be written as a lambda.
     */
    Outcome run(Task task);

    /**
     * Why no agent can run here (no LLM is configured, or its settings cannot work), in one line
     * that says what to set; empty when agents can run. New agent tasks are refused with it rather
     * than dispatched to fail.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** Hears of an agent task's turns as they end. */
    @FunctionalInterface
    interface Progress {

        /** Ignores every turn. */
        Progress NONE = (inputTokens, outputTokens) -> { };

        /**
         * One more turn ended and its conversation is saved; the provider reported
         * {@code inputTokens} and {@code outputTokens} for it (0 when it reported none).
         */
        void turnEnded(long inputTokens, long outputTokens);
    }

    /** How a run ended. */
    sealed interface Outcome {
        /** The agent called {@code task_complete(summary)}. */
        record Completed(String summary) implements Outcome {
            public Completed {
                requireNonNull(summary, "summary is null");
            }
        }

        /** The agent called {@code escalate_question(question)}: it waits for the user. */
        record Escalated(String question) implements Outcome {
            public Escalated {
                requireNonNull(question, "question is null");
            }
        }

        /** The agent could not go on: an error, too many turns, no model configured. */
        record Failed(String reason) implements Outcome {
            public Failed {
                requireNonNull(reason, "reason is null");
            }
        }

        /** The run was interrupted (cancel, timeout or shutdown) and saved what it had. */
        record Stopped() implements Outcome {
        }
    }
}
