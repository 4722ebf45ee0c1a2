package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.octo.application.port.out.AgentTranscripts;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.domain.TaskId;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Transcripts read from the conversations {@link LangChain4jAgentRunner} saves. The system prompt is
 * left out; each text is cut to {@link #MAX_TEXT_CHARS}.
 */
public final class LangChain4jTranscripts implements AgentTranscripts {

    private static final System.Logger LOG = System.getLogger(LangChain4jTranscripts.class.getName());
    static final int MAX_TEXT_CHARS = 2_000;

    private final ConversationStore conversations;

    public LangChain4jTranscripts(ConversationStore conversations) {
        this.conversations = requireNonNull(conversations, "conversations is null");
    }

    @Override
    public List<Entry> transcript(TaskId id) {
        requireNonNull(id, "id is null");
        Optional<String> saved = conversations.load(id);
        if (saved.isEmpty()) {
            return List.of();
        }
        List<ChatMessage> messages;
        try {
            messages = ChatMessageDeserializer.messagesFromJson(saved.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the conversation of task " + id + " cannot be read", e);
            return List.of(new Entry.ModelText("(the conversation cannot be read: " + cut(String.valueOf(e.getMessage())) + ")"));
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            switch (message) {
                case UserMessage user -> entries.add(new Entry.UserText(cut(user.hasSingleText() ? user.singleText()
                        : user.contents().toString())));
                case AiMessage ai -> {
                    if (ai.text() != null && !ai.text().isBlank()) {
                        entries.add(new Entry.ModelText(cut(ai.text().strip())));
                    }
                    // the results of its calls follow it; ids are unique within one message only
                    Map<String, String> results = new HashMap<>();
                    for (int j = i + 1; j < messages.size()
                            && messages.get(j) instanceof ToolExecutionResultMessage result; j++) {
                        results.putIfAbsent(String.valueOf(result.id()), result.text());
                    }
                    for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                        entries.add(new Entry.ToolCall(cut(call.name()), cut(String.valueOf(call.arguments())),
                                Optional.ofNullable(results.get(String.valueOf(call.id()))).map(LangChain4jTranscripts::cut)));
                    }
                }
                default -> {
                    // the system prompt is the agent's definition, and results are shown with their calls
                }
            }
        }
        return entries;
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT_CHARS ? text
                : text.substring(0, MAX_TEXT_CHARS) + " [... " + (text.length() - MAX_TEXT_CHARS) + " more characters]";
    }
}
