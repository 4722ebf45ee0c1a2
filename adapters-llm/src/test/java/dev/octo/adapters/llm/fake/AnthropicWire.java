package dev.octo.adapters.llm.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Anthropic Messages, as LangChain4j's Anthropic client speaks it. */
final class AnthropicWire implements FakeLlmServer.Wire {

    @Override
    public String path() {
        return "/v1/messages";
    }

    @Override
    public String reply(Answer.Reply reply, String model) {
        ObjectNode body = message(model);
        ArrayNode content = body.putArray("content");
        if (!reply.text().isEmpty()) {
            content.addObject().put("type", "text").put("text", reply.text());
        }
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            Answer.ToolCall call = reply.toolCalls().get(i);
            content.add(toolUse(call, i).set("input", FakeLlmServer.arguments(call.argumentsJson())));
        }
        body.put("stop_reason", stopReason(reply));
        body.set("usage", usage(reply.usage().inputTokens(), reply.usage().outputTokens()));
        return body.toString();
    }

    @Override
    public List<String> stream(Answer.Reply reply, String model) {
        List<String> events = new ArrayList<>();
        ObjectNode start = FakeLlmServer.json().createObjectNode().put("type", "message_start");
        ObjectNode message = message(model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.set("usage", usage(reply.usage().inputTokens(), 1));
        start.set("message", message);
        events.add(event("message_start", start));
        int index = 0;
        if (!reply.text().isEmpty()) {
            ObjectNode block = FakeLlmServer.json().createObjectNode().put("type", "text").put("text", "");
            events.add(event("content_block_start", blockStart(index, block)));
            for (String piece : FakeLlmServer.pieces(reply.text())) {
                events.add(event("content_block_delta", blockDelta(index,
                        FakeLlmServer.json().createObjectNode().put("type", "text_delta").put("text", piece))));
            }
            events.add(event("content_block_stop", blockStop(index)));
            index++;
        }
        for (int i = 0; i < reply.toolCalls().size(); i++, index++) {
            Answer.ToolCall call = reply.toolCalls().get(i);
            ObjectNode block = toolUse(call, i);
            block.putObject("input");
            events.add(event("content_block_start", blockStart(index, block)));
            events.add(event("content_block_delta", blockDelta(index, FakeLlmServer.json().createObjectNode()
                    .put("type", "input_json_delta").put("partial_json", call.argumentsJson()))));
            events.add(event("content_block_stop", blockStop(index)));
        }
        ObjectNode delta = FakeLlmServer.json().createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", reply.usage().outputTokens());
        events.add(event("message_delta", delta));
        events.add(event("message_stop", FakeLlmServer.json().createObjectNode().put("type", "message_stop")));
        return events;
    }

    @Override
    public String streamContentType() {
        return "text/event-stream";
    }

    @Override
    public String error(int status, String message) {
        ObjectNode body = FakeLlmServer.json().createObjectNode().put("type", "error");
        body.putObject("error")
                .put("type", switch (status) {
                    case 401 -> "authentication_error";
                    case 429 -> "rate_limit_error";
                    case 529 -> "overloaded_error";
                    default -> status >= 500 ? "api_error" : "invalid_request_error";
                })
                .put("message", message);
        return body.toString();
    }

    private static ObjectNode message(String model) {
        ObjectNode body = FakeLlmServer.json().createObjectNode()
                .put("id", "msg_fake")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        body.putNull("stop_sequence");
        return body;
    }

    private static ObjectNode toolUse(Answer.ToolCall call, int index) {
        return FakeLlmServer.json().createObjectNode()
                .put("type", "tool_use")
                .put("id", "toolu_" + index)
                .put("name", call.name());
    }

    private static String stopReason(Answer.Reply reply) {
        return reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
    }

    private static ObjectNode usage(int input, int output) {
        return FakeLlmServer.json().createObjectNode()
                .put("input_tokens", input)
                .put("output_tokens", output)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0);
    }

    private static ObjectNode blockStart(int index, ObjectNode block) {
        ObjectNode event = FakeLlmServer.json().createObjectNode().put("type", "content_block_start").put("index", index);
        event.set("content_block", block);
        return event;
    }

    private static ObjectNode blockDelta(int index, ObjectNode delta) {
        ObjectNode event = FakeLlmServer.json().createObjectNode().put("type", "content_block_delta").put("index", index);
        event.set("delta", delta);
        return event;
    }

    private static ObjectNode blockStop(int index) {
        return FakeLlmServer.json().createObjectNode().put("type", "content_block_stop").put("index", index);
    }

    private static String event(String name, ObjectNode data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }
}
