package dev.octo.application.port.out;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.Task;

/**
 * Runs agent tasks: an LLM with its own tools and conversation. The runner keeps the conversation
 * in the {@link ConversationStore} after every turn, so a task can go on from its last saved turn
 * after a pause or a restart.
 */
public interface AgentRunner {

    /**
     * Runs {@code task} (RUNNING, perhaps with an answer to its last question in
     * {@link Task#answer()}) until the agent completes, escalates or fails. Blocks the calling
     * thread; an interrupt stops it after the turn in progress, with {@link Outcome.Stopped}.
     */
    Outcome run(Task task);

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
