package dev.octo.adapters.llm.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Ollama's chat API, as LangChain4j's Ollama client speaks it: a stream is one JSON object a line. */
final class OllamaWire implements FakeLlmServer.Wire {

    @Override
    public String path() {
        return "/api/chat";
    }

    @Override
    public boolean streams(JsonNode request) {
        // Ollama streams unless told not to
        return request.path("stream").asBoolean(true);
    }

    @Override
    public String reply(Answer.Reply reply, String model) {
        ObjectNode body = line(model, reply.text());
        addToolCalls(body, reply);
        finish(body, reply);
        return body.toString();
    }

    @Override
    public List<String> stream(Answer.Reply reply, String model) {
        List<String> lines = new ArrayList<>();
        for (String piece : FakeLlmServer.pieces(reply.text())) {
            lines.add(line(model, piece).put("done", false) + "\n");
        }
        if (!reply.toolCalls().isEmpty()) {
            ObjectNode calls = line(model, "").put("done", false);
            addToolCalls(calls, reply);
            lines.add(calls + "\n");
        }
        ObjectNode last = line(model, "");
        finish(last, reply);
        lines.add(last + "\n");
        return lines;
    }

    @Override
    public String streamContentType() {
        return "application/x-ndjson";
    }

    @Override
    public String error(int status, String message) {
        return FakeLlmServer.json().createObjectNode().put("error", message).toString();
    }

    private static ObjectNode line(String model, String text) {
        ObjectNode body = FakeLlmServer.json().createObjectNode()
                .put("model", model)
                .put("created_at", "2026-01-01T00:00:00Z");
        body.putObject("message").put("role", "assistant").put("content", text);
        return body;
    }

    private static void addToolCalls(ObjectNode body, Answer.Reply reply) {
        if (reply.toolCalls().isEmpty()) {
            return;
        }
        ArrayNode calls = ((ObjectNode) body.get("message")).putArray("tool_calls");
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            Answer.ToolCall call = reply.toolCalls().get(i);
            // the index tells the streaming client where one call ends and the next begins
            calls.addObject().put("id", "call_" + i).putObject("function")
                    .put("index", i)
                    .put("name", call.name())
                    .set("arguments", FakeLlmServer.arguments(call.argumentsJson()));
        }
    }

    private static void finish(ObjectNode body, Answer.Reply reply) {
        body.put("done", true)
                .put("done_reason", "stop")
                .put("total_duration", 1_000_000L)
                .put("prompt_eval_count", reply.usage().inputTokens())
                .put("eval_count", reply.usage().outputTokens());
    }
}
