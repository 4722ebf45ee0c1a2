package dev.octo.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationWindowTest {

    private static final ToolExecutionRequest CALL = ToolExecutionRequest.builder().id("call-1")
            .name("list_background_tasks").arguments("{}").build();

    @Test
    void aShortConversationIsKeptWhole() {
        List<ChatMessage> messages = List.of(UserMessage.from("hi"), AiMessage.from("hello"));

        assertThat(ConversationWindow.last(messages, 10)).isEqualTo(messages);
    }

    @Test
    void onlyTheLastMessagesAreKept() {
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            messages.add(UserMessage.from("question " + i));
            messages.add(AiMessage.from("answer " + i));
        }

        List<ChatMessage> kept = ConversationWindow.last(messages, 4);

        assertThat(kept).containsExactlyElementsOf(messages.subList(16, 20));
    }

    @Test
    void aToolResultIsNeverKeptWithoutTheCallThatAskedForIt() {
        List<ChatMessage> messages = List.of(
                UserMessage.from("what runs?"),
                AiMessage.from(List.of(CALL)),
                ToolExecutionResultMessage.from(CALL, "No tasks."),
                AiMessage.from("Nothing runs."),
                UserMessage.from("thanks"),
                AiMessage.from("You are welcome."));

        // the last five would open with the call, the last four with its result: both start at a user message
        assertThat(ConversationWindow.last(messages, 5)).containsExactlyElementsOf(messages.subList(4, 6));
        assertThat(ConversationWindow.last(messages, 4)).containsExactlyElementsOf(messages.subList(4, 6));
        assertThat(ConversationWindow.last(messages, 6)).isEqualTo(messages);
    }

    @Test
    void oneExchangeLongerThanTheBoundIsKeptFromItsUserMessage() {
        List<ChatMessage> messages = List.of(
                UserMessage.from("earlier"),
                AiMessage.from("ok"),
                UserMessage.from("look twice"),
                AiMessage.from(List.of(CALL)),
                ToolExecutionResultMessage.from(CALL, "No tasks."),
                AiMessage.from(List.of(CALL)),
                ToolExecutionResultMessage.from(CALL, "No tasks."),
                AiMessage.from("Still nothing."));

        assertThat(ConversationWindow.last(messages, 3)).containsExactlyElementsOf(messages.subList(2, 8));
    }
}
