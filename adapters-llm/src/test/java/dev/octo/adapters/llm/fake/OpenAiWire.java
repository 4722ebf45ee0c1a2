package dev.octo.adapters.llm.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** OpenAI chat completions, as LangChain4j's OpenAI client (and any OpenAI-compatible server) speaks it. */
final class OpenAiWire implements FakeLlmServer.Wire {

    @Override
    public String path() {
        return "/v1/chat/completions";
    }

    @Override
    public String reply(Answer.Reply reply, String model) {
        ObjectNode message = FakeLlmServer.json().createObjectNode().put("role", "assistant");
        if (reply.text().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", reply.text());
        }
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (int i = 0; i < reply.toolCalls().size(); i++) {
                calls.add(toolCall(reply.toolCalls().get(i), i));
            }
        }
        ObjectNode body = envelope(model, "chat.completion");
        body.putArray("choices").addObject()
                .put("index", 0)
                .<ObjectNode>set("message", message)
                .put("finish_reason", finishReason(reply));
        body.set("usage", usage(reply));
        return body.toString();
    }

    @Override
    public List<String> stream(Answer.Reply reply, String model) {
        List<String> events = new ArrayList<>();
        events.add(chunk(model, delta().put("role", "assistant").put("content", ""), null));
        for (String piece : FakeLlmServer.pieces(reply.text())) {
            events.add(chunk(model, delta().put("content", piece), null));
        }
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            ObjectNode delta = delta();
            delta.putArray("tool_calls").add(toolCall(reply.toolCalls().get(i), i).put("index", i));
            events.add(chunk(model, delta, null));
        }
        events.add(chunk(model, delta(), finishReason(reply)));
        ObjectNode usage = envelope(model, "chat.completion.chunk");
        usage.putArray("choices");
        usage.set("usage", usage(reply));
        events.add("data: " + usage + "\n\n");
        events.add("data: [DONE]\n\n");
        return events;
    }

    @Override
    public String streamContentType() {
        return "text/event-stream";
    }

    @Override
    public String error(int status, String message) {
        ObjectNode body = FakeLlmServer.json().createObjectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", status == 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error")
                .putNull("code");
        return body.toString();
    }

    private static ObjectNode toolCall(Answer.ToolCall call, int index) {
        ObjectNode node = FakeLlmServer.json().createObjectNode()
                .put("id", "call_" + index)
                .put("type", "function");
        node.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
        return node;
    }

    private static String finishReason(Answer.Reply reply) {
        return reply.toolCalls().isEmpty() ? "stop" : "tool_calls";
    }

    private static ObjectNode usage(Answer.Reply reply) {
        return FakeLlmServer.json().createObjectNode()
                .put("prompt_tokens", reply.usage().inputTokens())
                .put("completion_tokens", reply.usage().outputTokens())
                .put("total_tokens", reply.usage().inputTokens() + reply.usage().outputTokens());
    }

    private static ObjectNode envelope(String model, String object) {
        return FakeLlmServer.json().createObjectNode()
                .put("id", "chatcmpl-fake")
                .put("object", object)
                .put("created", 1_700_000_000L)
                .put("model", model);
    }

    private static ObjectNode delta() {
        return FakeLlmServer.json().createObjectNode();
    }

    private static String chunk(String model, ObjectNode delta, String finishReason) {
        ObjectNode body = envelope(model, "chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return "data: " + body + "\n\n";
    }
}
