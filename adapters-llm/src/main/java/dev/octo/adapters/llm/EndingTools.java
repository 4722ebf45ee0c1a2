package dev.octo.adapters.llm;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.Optional;

/**
 * The tools that end an agent's run. Calling one records what it was called with; the run loop then
 * ends the run with it instead of going on.
 */
final class EndingTools {

    static final String TASK_COMPLETE = "task_complete";
    static final String ESCALATE_QUESTION = "escalate_question";

    private String summary;
    private String question;

    @Tool(name = TASK_COMPLETE, value = "Ends the task: call it once the objective is reached, or cannot be, "
            + "with a summary of what you did and found. Nothing runs after it.")
    String taskComplete(@P("what you did and found, for the user") String summary) {
        if (summary == null || summary.isBlank()) {
            throw new ToolRefusal("the summary is missing");
        }
        this.summary = summary;
        return "completed";
    }

    @Tool(name = ESCALATE_QUESTION, value = "Asks the user a question and waits for the answer, which comes back "
            + "as this tool's result, possibly much later. Only when you cannot go on without the user: "
            + "a choice that is theirs, or information you cannot find.")
    String escalateQuestion(@P("the question, complete enough to be answered without context") String question) {
        if (question == null || question.isBlank()) {
            throw new ToolRefusal("the question is missing");
        }
        this.question = question;
        return "asked";
    }

    Optional<String> summary() {
        return Optional.ofNullable(summary);
    }

    Optional<String> question() {
        return Optional.ofNullable(question);
    }
}
