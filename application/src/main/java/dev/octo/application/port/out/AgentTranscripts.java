package dev.octo.application.port.out;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.TaskId;
import java.util.List;
import java.util.Optional;

/**
 * What an agent task did, read from its saved conversation: its model's text, and each tool call
 * with its arguments and result. Every text is cut to a readable length, and is the model's or a
 * tool's: untrusted when shown.
 */
public interface AgentTranscripts {

    /**
     * The transcript of task {@code id}, oldest first; empty when the task has no saved conversation.
     *
     * @throws StoreException when its conversation cannot be read
     */
    List<Entry> transcript(TaskId id);

    /** One step of a transcript. */
    sealed interface Entry {

        /** What the user said: the task's objective. */
        record UserText(String text) implements Entry {
            public UserText {
                requireNonNull(text, "text is null");
            }
        }

        /** What the model said. */
        record ModelText(String text) implements Entry {
            public ModelText {
                requireNonNull(text, "text is null");
            }
        }

        /**
         * A tool the model called, with its arguments (JSON, as the model wrote them) and its result;
         * no result yet while the call waits (a question not answered yet).
         */
        record ToolCall(String tool, String arguments, Optional<String> result) implements Entry {
            public ToolCall {
                requireNonNull(tool, "tool is null");
                requireNonNull(arguments, "arguments is null");
                requireNonNull(result, "result is null");
            }
        }
    }
}
