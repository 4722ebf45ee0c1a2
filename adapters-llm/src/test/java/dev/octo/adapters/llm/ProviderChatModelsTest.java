package dev.octo.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.llm.fake.FakeLlmServer.Protocol;
import dev.octo.adapters.llm.fake.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ProviderChatModelsTest {

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

    @Nested
    class Settings {

        @Test
        void blankValuesCountAsNotSet() {
            LlmSettings settings = LlmSettings.from(Map.of("OCTO_LLM_PROVIDER", " ", "OCTO_LLM_MODEL", "",
                    "OPENAI_API_KEY", " sk-1 "));

            assertThat(settings.provider()).isEmpty();
            assertThat(settings.model()).isEmpty();
            assertThat(settings.openAiApiKey()).contains("sk-1");
        }

        @Test
        void withoutAProviderThereAreNoModelsAndNothingToFix() {
            assertThat(ProviderChatModels.from(LlmSettings.from(Map.of("ANTHROPIC_API_KEY", "sk-ant"))))
                    .isEqualTo(new ChatModelsSetup.NotConfigured());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                OCTO_LLM_PROVIDER=gpt                                 | OCTO_LLM_PROVIDER=gpt is not a provider: set it to anthropic, openai or ollama
                OCTO_LLM_PROVIDER=anthropic                           | OCTO_LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY: set it in the environment or in .env
                OCTO_LLM_PROVIDER=openai                              | OCTO_LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server that takes no key): set it in the environment or in .env
                OCTO_LLM_PROVIDER=openai,OPENAI_BASE_URL=localhost:8080 | OPENAI_BASE_URL=localhost:8080 is not an http:// or https:// URL: set it to the server's address
                OCTO_LLM_PROVIDER=ollama,OLLAMA_BASE_URL=ftp://host    | OLLAMA_BASE_URL=ftp://host is not an http:// or https:// URL: set it to the server's address
                """)
        void settingsThatCannotWorkGiveOneLineSayingWhatToSet(String settings, String reason) {
            assertThat(ProviderChatModels.from(LlmSettings.from(parse(settings))))
                    .isEqualTo(new ChatModelsSetup.Misconfigured(reason));
        }

        @Test
        void aProviderValueWithControlCharactersIsReportedOnOneLine() {
            ChatModelsSetup setup = ProviderChatModels.from(LlmSettings.from(Map.of("OCTO_LLM_PROVIDER", "x\n\u001b[2Jy")));

            assertThat(setup).isInstanceOfSatisfying(ChatModelsSetup.Misconfigured.class,
                    misconfigured -> assertThat(misconfigured.reason()).doesNotContain("\n", "\u001b").startsWith("OCTO_LLM_PROVIDER=x "));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                "anthropic, ANTHROPIC_API_KEY=k, anthropic claude-sonnet-4-5",
                "openai, OPENAI_API_KEY=k, openai gpt-4o-mini",
                "OLLAMA, OCTO_LLM_MODEL=qwen3, ollama qwen3"})
        void eachProviderHasADefaultModelThatOctoLlmModelReplaces(String provider, String setting, String described) {
            Map<String, String> settings = parse(setting);
            settings.put("OCTO_LLM_PROVIDER", provider);

            assertThat(ready(settings).describe()).isEqualTo(described);
        }
    }

    @Nested
    class EachProviderThroughItsOwnClient {

        @ParameterizedTest
        @EnumSource(Protocol.class)
        void theDefaultModelAnswers(Protocol protocol) {
            server = FakeLlmServer.start(protocol);
            server.answerText("hello");

            ChatResponse response = modelsFor(server).chat(Optional.empty()).chat(request());

            assertThat(response.aiMessage().text()).isEqualTo("hello");
            assertThat(server.lastRequest().model()).isEqualTo("test-model");
            assertThat(server.lastRequest().toolNames()).containsExactly("task_complete");
        }

        @Test
        void anOpenAiCompatibleServerThatTakesNoKeyNeedsOnlyItsUrl() {
            server = FakeLlmServer.start(Protocol.OPENAI);
            server.answerText("local");

            ChatModels models = ready(Map.of("OCTO_LLM_PROVIDER", "openai", "OPENAI_BASE_URL", server.baseUrl()));

            assertThat(models.chat(Optional.empty()).chat(request()).aiMessage().text()).isEqualTo("local");
            assertThat(server.lastRequest().model()).isEqualTo("gpt-4o-mini");
        }

        @ParameterizedTest
        @EnumSource(Protocol.class)
        void anotherModelCanBeAskedForByName(Protocol protocol) {
            server = FakeLlmServer.start(protocol);
            server.answerText("one").answerText("two");
            ChatModels models = modelsFor(server);

            models.chat(Optional.of("agent-model")).chat(request());
            models.chat(Optional.empty()).chat(request());

            assertThat(server.requests()).extracting(request -> request.model()).containsExactly("agent-model", "test-model");
            assertThat(models.chat(Optional.of("agent-model"))).isSameAs(models.chat(Optional.of("agent-model")));
        }

        @ParameterizedTest
        @EnumSource(Protocol.class)
        void theStreamingModelAnswersTokenByToken(Protocol protocol) throws Exception {
            server = FakeLlmServer.start(protocol);
            server.answerText("streamed answer");
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            StringBuilder pieces = new StringBuilder();

            modelsFor(server).streaming(Optional.empty()).chat(request(), new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partialResponse) {
                    pieces.append(partialResponse);
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

            assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("streamed answer");
            assertThat(pieces).hasToString("streamed answer");
            assertThat(server.lastRequest().streaming()).isTrue();
        }
    }

    @Nested
    class TransientErrors {

        @ParameterizedTest
        @EnumSource(Protocol.class)
        void aServerErrorThreeTimesThenAnAnswerIsAnAnswer(Protocol protocol) {
            server = FakeLlmServer.start(protocol);
            server.failWith(500, 3).answerText("at last");

            ChatResponse response = modelsFor(server).chat(Optional.empty()).chat(request());

            assertThat(response.aiMessage().text()).isEqualTo("at last");
            assertThat(server.requests()).hasSize(4);
        }

        @ParameterizedTest
        @EnumSource(Protocol.class)
        void aStreamedAnswerIsRetriedTooWhileNothingOfItArrived(Protocol protocol) throws Exception {
            server = FakeLlmServer.start(protocol);
            server.failWith(500, 3).answerText("at last");

            ChatResponse response = stream(modelsFor(server)).get(20, TimeUnit.SECONDS);

            assertThat(response.aiMessage().text()).isEqualTo("at last");
            assertThat(server.requests()).hasSize(4).allMatch(RecordedRequest::streaming);
        }

        @Test
        void aStreamedAnswerFailsOnceRetriesAreSpent() {
            server = FakeLlmServer.start(Protocol.OLLAMA);
            server.failWith(503, 5);
            ChatModels models = modelsFor(server);

            assertThatThrownBy(() -> stream(models).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(failure -> assertThat(models.explain(failure.getCause())).startsWith("ollama ").doesNotContain("\n"));
            assertThat(server.requests()).hasSize(1 + ProviderChatModels.MAX_RETRIES);
        }

        @Test
        void aStreamedAnswerIsNotRetriedOnARefusal() {
            server = FakeLlmServer.start(Protocol.OPENAI);
            server.failWith(400);

            assertThatThrownBy(() -> stream(modelsFor(server)).get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(server.requests()).hasSize(1);
        }

        @ParameterizedTest
        @EnumSource(Protocol.class)
        void aDroppedConnectionIsRetried(Protocol protocol) throws Exception {
            server = FakeLlmServer.start(protocol);
            server.dropConnection().answerText("plain").dropConnection().answerText("streamed");
            ChatModels models = modelsFor(server);

            assertThat(models.chat(Optional.empty()).chat(request()).aiMessage().text()).isEqualTo("plain");
            assertThat(stream(models).get(20, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("streamed");
            assertThat(server.requests()).hasSize(4);
        }

        @Test
        void tooManyRequestsIsRetriedToo() {
            server = FakeLlmServer.start(Protocol.ANTHROPIC);
            server.failWith(429).failWith(503).answerText("at last");

            assertThat(modelsFor(server).chat(Optional.empty()).chat(request()).aiMessage().text()).isEqualTo("at last");
            assertThat(server.requests()).hasSize(3);
        }

        @Test
        void retriesAreBoundedAndWhatIsLeftIsOneLine() {
            server = FakeLlmServer.start(Protocol.OPENAI);
            server.failWith(500, 5);
            ChatModels models = modelsFor(server);

            assertThatThrownBy(() -> models.chat(Optional.empty()).chat(request()))
                    .satisfies(failure -> assertThat(models.explain(failure))
                            .startsWith("openai failed with a server error, still after 3 retries: ")
                            .doesNotContain("\n"));
            assertThat(server.requests()).hasSize(1 + ProviderChatModels.MAX_RETRIES);
        }

        @Test
        void aRefusedKeyIsNotRetriedAndNamesTheVariable() {
            server = FakeLlmServer.start(Protocol.ANTHROPIC);
            server.failWith(401);
            ChatModels models = modelsFor(server);

            assertThatThrownBy(() -> models.chat(Optional.empty()).chat(request()))
                    .satisfies(failure -> assertThat(models.explain(failure))
                            .startsWith("anthropic refused the API key: check ANTHROPIC_API_KEY"));
            assertThat(server.requests()).hasSize(1);
        }

        @ParameterizedTest
        @CsvSource({"openai, OPENAI_BASE_URL, /v1", "anthropic, ANTHROPIC_BASE_URL, /v1", "ollama, OLLAMA_BASE_URL, ''"})
        void aServerThatCannotBeReachedIsOneLineNamingTheUrlVariable(String provider, String variable, String path)
                throws IOException {
            String url = "http://127.0.0.1:" + freePort() + path;
            ChatModels models = ready(Map.of("OCTO_LLM_PROVIDER", provider, variable, url, "OPENAI_API_KEY", "k",
                    "ANTHROPIC_API_KEY", "k"));

            assertThatThrownBy(() -> models.chat(Optional.empty()).chat(request()))
                    .satisfies(failure -> assertThat(models.explain(failure))
                            .isEqualTo("The model server (" + provider + " at " + url + ") cannot be reached: "
                                    + (provider.equals("ollama") ? "is Ollama running? " : "")
                                    + "check " + variable + " and the network"));
        }
    }

    @Nested
    class Cancelling {

        @ParameterizedTest
        @EnumSource(Protocol.class)
        void interruptingTheCallingThreadAbandonsACallInFlightWithoutARetry(Protocol protocol) throws Exception {
            server = FakeLlmServer.start(protocol);
            server.answerSlowly(Duration.ofMinutes(5), "too late").answerText("a retry would get this");
            ChatModels models = modelsFor(server);
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    models.chat(Optional.empty()).chat(request());
                    failure.complete(null);
                } catch (RuntimeException e) {
                    failure.complete(e);
                }
            });
            server.awaitRequests(1, Duration.ofSeconds(10));

            caller.interrupt();

            assertThat(failure.get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Nested
    class AnthropicPromptCaching {

        @Test
        void theSystemPromptAndTheToolsAreMarkedForCaching() {
            server = FakeLlmServer.start(Protocol.ANTHROPIC);
            server.answerText("cached");

            modelsFor(server).chat(Optional.empty()).chat(request());

            JsonNode body = server.lastRequest().body();
            assertThat(body.path("system")).isNotEmpty();
            assertThat(body.path("system").get(body.path("system").size() - 1).path("cache_control").path("type").asText())
                    .isEqualTo("ephemeral");
            JsonNode tools = body.path("tools");
            assertThat(tools.get(tools.size() - 1).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        }

        @Test
        void theStreamingModelCachesThemToo() throws Exception {
            server = FakeLlmServer.start(Protocol.ANTHROPIC);
            server.answerText("cached");
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();

            modelsFor(server).streaming(Optional.empty()).chat(request(), new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partialResponse) {
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
            done.get(10, TimeUnit.SECONDS);

            assertThat(server.lastRequest().body().toString()).contains("\"cache_control\"");
            assertThat(server.lastRequest().body().path("tools").get(0).path("cache_control").path("type").asText())
                    .isEqualTo("ephemeral");
        }
    }

    private static CompletableFuture<ChatResponse> stream(ChatModels models) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        models.streaming(Optional.empty()).chat(request(), new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done;
    }

    private static ChatRequest request() {
        return ChatRequest.builder()
                .messages(SystemMessage.from("You are Octo's test."), UserMessage.from("Say hello"))
                .toolSpecifications(List.of(TASK_COMPLETE))
                .build();
    }

    /** The models of the provider the fake speaks, configured as a user would, with the fake's address. */
    private static ChatModels modelsFor(FakeLlmServer server) {
        Map<String, String> settings = new HashMap<>(Map.of("OCTO_LLM_MODEL", "test-model"));
        switch (server.protocol()) {
            case OPENAI -> settings.putAll(Map.of("OCTO_LLM_PROVIDER", "openai", "OPENAI_API_KEY", "sk-test",
                    "OPENAI_BASE_URL", server.baseUrl()));
            case ANTHROPIC -> settings.putAll(Map.of("OCTO_LLM_PROVIDER", "anthropic", "ANTHROPIC_API_KEY", "sk-ant-test",
                    "ANTHROPIC_BASE_URL", server.baseUrl()));
            case OLLAMA -> settings.putAll(Map.of("OCTO_LLM_PROVIDER", "ollama", "OLLAMA_BASE_URL", server.baseUrl()));
        }
        return ready(settings);
    }

    private static ChatModels ready(Map<String, String> settings) {
        ChatModelsSetup setup = ProviderChatModels.from(LlmSettings.from(settings));
        assertThat(setup).isInstanceOf(ChatModelsSetup.Ready.class);
        return ((ChatModelsSetup.Ready) setup).models();
    }

    /** "A=1,B=2" as a map. */
    private static Map<String, String> parse(String settings) {
        Map<String, String> map = new HashMap<>();
        for (String setting : settings.split(",")) {
            String[] nameAndValue = setting.split("=", 2);
            map.put(nameAndValue[0].strip(), nameAndValue[1].strip());
        }
        return map;
    }

    /** A port on 127.0.0.1 that nothing listens on. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
