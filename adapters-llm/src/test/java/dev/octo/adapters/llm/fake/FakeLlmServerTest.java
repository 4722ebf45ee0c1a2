package dev.octo.adapters.llm.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.octo.adapters.llm.fake.FakeLlmServer.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fake LLM server, through each real LangChain4j client, plain and streamed. */
class FakeLlmServerTest {

    private static final ToolSpecification TASK_COMPLETE = ToolSpecification.builder()
            .name("task_complete")
            .description("Ends the task with a summary")
            .parameters(JsonObjectSchema.builder().addStringProperty("summary").required("summary").build())
            .build();

    private FakeLlmServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aScriptedTextIsTheModelsAnswerWithItsTokenUsage(Protocol protocol) {
        server = FakeLlmServer.start(protocol);
        server.answer(Answer.text("Hello there, user").withUsage(120, 7));

        ChatResponse response = chatModel(server).chat(request());

        assertThat(response.aiMessage().text()).isEqualTo("Hello there, user");
        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(120);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aScriptedToolCallReachesTheClientAsAToolExecutionRequest(Protocol protocol) {
        server = FakeLlmServer.start(protocol);
        server.answerToolCall("task_complete", "{\"summary\":\"done\"}");

        ChatResponse response = chatModel(server).chat(request());

        List<ToolExecutionRequest> calls = response.aiMessage().toolExecutionRequests();
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().name()).isEqualTo("task_complete");
        assertThat(calls.getFirst().arguments()).isEqualToIgnoringWhitespace("{\"summary\":\"done\"}");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aStreamedAnswerArrivesInPiecesAndWhole(Protocol protocol) throws Exception {
        server = FakeLlmServer.start(protocol);
        server.answer(Answer.text("one two three").withUsage(30, 3));

        Streamed streamed = stream(streamingModel(server), request());

        assertThat(streamed.pieces()).hasSizeGreaterThan(1);
        assertThat(String.join("", streamed.pieces())).isEqualTo("one two three");
        assertThat(streamed.response().aiMessage().text()).isEqualTo("one two three");
        assertThat(streamed.response().tokenUsage().inputTokenCount()).isEqualTo(30);
        assertThat(streamed.response().tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(server.lastRequest().streaming()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aStreamedAnswerCarriesToolCalls(Protocol protocol) throws Exception {
        server = FakeLlmServer.start(protocol);
        server.answer(Answer.toolCalls(
                new Answer.ToolCall("read_file", "{\"path\":\"a.txt\"}"),
                new Answer.ToolCall("task_complete", "{\"summary\":\"read\"}")));

        ChatResponse response = stream(streamingModel(server), request()).response();

        assertThat(response.aiMessage().toolExecutionRequests())
                .extracting(ToolExecutionRequest::name)
                .containsExactly("read_file", "task_complete");
        assertThat(response.aiMessage().toolExecutionRequests().get(1).arguments())
                .isEqualToIgnoringWhitespace("{\"summary\":\"read\"}");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everyRequestIsRecordedWithItsSystemPromptToolsAndMessages(Protocol protocol) {
        server = FakeLlmServer.start(protocol);
        server.answerText("first").answerText("second");

        chatModel(server).chat(request());
        chatModel(server).chat(ChatRequest.builder().messages(UserMessage.from("again")).build());

        assertThat(server.requests()).hasSize(2);
        RecordedRequest first = server.requests().getFirst();
        assertThat(first.model()).isEqualTo("fake-model");
        assertThat(first.streaming()).isFalse();
        assertThat(first.systemPrompt()).isEqualTo("You are a test.");
        assertThat(first.toolNames()).containsExactly("task_complete");
        assertThat(first.messageTexts()).containsExactly("Say hello");
        assertThat(server.lastRequest().systemPrompt()).isEmpty();
        assertThat(server.lastRequest().toolNames()).isEmpty();
        assertThat(server.lastRequest().messageTexts()).containsExactly("again");
        assertThat(server.answersLeft()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aScriptedErrorStatusFailsTheCall(Protocol protocol) {
        server = FakeLlmServer.start(protocol);
        server.failWith(500).answerText("later");

        assertThatThrownBy(() -> chatModel(server).chat(request())).hasMessageContaining("scripted failure 500");
        assertThat(chatModel(server).chat(request()).aiMessage().text()).isEqualTo("later");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aDroppedConnectionFailsTheCall(Protocol protocol) {
        server = FakeLlmServer.start(protocol);
        server.dropConnection().answerText("later");

        assertThatThrownBy(() -> chatModel(server).chat(request())).isInstanceOf(RuntimeException.class);
        assertThat(chatModel(server).chat(request()).aiMessage().text()).isEqualTo("later");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRequestWithoutAScriptedAnswerIsRefusedSayingSo(Protocol protocol) {
        server = FakeLlmServer.start(protocol);

        assertThatThrownBy(() -> chatModel(server).chat(request())).hasMessageContaining("no answer scripted");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aSlowAnswerHoldsTheCallUntilTheServerCloses() throws Exception {
        server = FakeLlmServer.start(Protocol.OPENAI);
        server.answerSlowly(Duration.ofMinutes(5), "too late");
        CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(() -> chatModel(server).chat(request()));

        server.awaitRequests(1, Duration.ofSeconds(10));
        assertThat(call).isNotDone();
        server.close();

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RuntimeException.class);
    }

    private static ChatRequest request() {
        return ChatRequest.builder()
                .messages(SystemMessage.from("You are a test."), UserMessage.from("Say hello"))
                .toolSpecifications(TASK_COMPLETE)
                .build();
    }

    private static ChatModel chatModel(FakeLlmServer server) {
        return switch (server.protocol()) {
            case OPENAI -> OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key")
                    .modelName("fake-model").maxRetries(0).build();
            case ANTHROPIC -> AnthropicChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key")
                    .modelName("fake-model").maxRetries(0).build();
            case OLLAMA -> OllamaChatModel.builder().baseUrl(server.baseUrl()).modelName("fake-model")
                    .maxRetries(0).build();
        };
    }

    private static StreamingChatModel streamingModel(FakeLlmServer server) {
        return switch (server.protocol()) {
            case OPENAI -> OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key")
                    .modelName("fake-model").build();
            case ANTHROPIC -> AnthropicStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key")
                    .modelName("fake-model").build();
            case OLLAMA -> OllamaStreamingChatModel.builder().baseUrl(server.baseUrl()).modelName("fake-model").build();
        };
    }

    private record Streamed(List<String> pieces, ChatResponse response) {
    }

    private static Streamed stream(StreamingChatModel model, ChatRequest request) throws Exception {
        List<String> pieces = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                pieces.add(partialResponse);
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return new Streamed(pieces, done.get(10, TimeUnit.SECONDS));
    }
}
