package dev.octo.adapters.llm.fake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One request a {@link FakeLlmServer} received: its path and its JSON body, with readers for what
 * tests usually check, the same whichever protocol carried it.
 *
 * @param protocol how the body is shaped
 * @param path the request path, {@code /v1/chat/completions} for example
 * @param body the parsed request body, to check anything the readers do not cover
 */
public record RecordedRequest(FakeLlmServer.Protocol protocol, String path, JsonNode body) {

    public RecordedRequest {
        requireNonNull(protocol, "protocol is null");
        requireNonNull(path, "path is null");
        requireNonNull(body, "body is null");
    }

    /** The model the client asked for. */
    public String model() {
        return body.path("model").asText();
    }

    /** Whether the client asked for the answer token by token. */
    public boolean streaming() {
        return body.path("stream").asBoolean(false);
    }

    /** The system prompt, its parts joined by blank lines; empty when there is none. */
    public String systemPrompt() {
        List<String> parts = new ArrayList<>();
        switch (protocol) {
            case ANTHROPIC -> {
                JsonNode system = body.path("system");
                if (system.isTextual()) {
                    parts.add(system.asText());
                }
                system.forEach(block -> parts.add(block.path("text").asText()));
            }
            case OPENAI, OLLAMA -> body.path("messages").forEach(message -> {
                if (message.path("role").asText().equals("system")) {
                    parts.add(text(message.path("content")));
                }
            });
        }
        return String.join("\n\n", parts);
    }

    /** The names of the tools offered to the model, in the order sent. */
    public List<String> toolNames() {
        List<String> names = new ArrayList<>();
        body.path("tools").forEach(tool -> names.add(switch (protocol) {
            case ANTHROPIC -> tool.path("name").asText();
            case OPENAI, OLLAMA -> tool.path("function").path("name").asText();
        }));
        return names;
    }

    /** The conversation sent, without the system prompt: the raw message objects of the protocol. */
    public List<JsonNode> messages() {
        List<JsonNode> messages = new ArrayList<>();
        body.path("messages").forEach(message -> {
            if (!message.path("role").asText().equals("system")) {
                messages.add(message);
            }
        });
        return messages;
    }

    /**
     * Every text of the conversation (user and assistant text, tool results), in order, for checks
     * such as "the model saw the answer": one string per message, its text parts joined.
     */
    public List<String> messageTexts() {
        List<String> texts = new ArrayList<>();
        for (JsonNode message : messages()) {
            texts.add(text(message.path("content")));
        }
        return texts;
    }

    /** The body as JSON text, for a failure message. */
    @Override
    public String toString() {
        return path + " " + body;
    }

    /** A content that is a string, or an array of blocks (Anthropic, OpenAI parts) whose texts are joined. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder joined = new StringBuilder();
        content.forEach(block -> {
            JsonNode text = block.has("text") ? block.path("text") : block.path("content");
            joined.append(text.isTextual() ? text.asText() : text(text));
        });
        return joined.toString();
    }
}
