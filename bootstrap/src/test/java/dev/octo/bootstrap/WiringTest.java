package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Scopes;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.octo.adapters.llm.AgentDefinitions;
import dev.octo.adapters.llm.ChatModels;
import dev.octo.adapters.llm.ChatModelsSetup;
import dev.octo.adapters.llm.LangChain4jAgentRunner;
import dev.octo.adapters.llm.LangChain4jSupervisorChat;
import dev.octo.adapters.llm.UnconfiguredAgentRunner;
import dev.octo.adapters.llm.UnconfiguredSupervisorChat;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.llm.fake.FakeLlmServer.Protocol;
import dev.octo.adapters.telegram.TelegramFrontEnd;
import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.CleanTasksUseCase;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.DispatchTaskUseCase;
import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.HoldQueueUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.RetryTaskUseCase;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.AgentCatalogue;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.AgentTranscripts;
import dev.octo.application.port.out.CommandRunner;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.SupervisorConversationStore;
import dev.octo.application.port.out.TaskIds;
import dev.octo.application.port.out.TaskStore;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The injector of both entry points (the terminal and {@code octo telegram} share it; the daemon
 * needs the Telegram settings, with which the bot is bound too).
 */
class WiringTest {

    private static final String PORT_IN = "dev.octo.application.port.in";

    @TempDir
    Path workingDirectory;

    private OctoConfig config;
    private Injector injector;

    @BeforeEach
    void buildTheInjector() {
        config = ConfigLoader.load(Map.of("BG_MAX_CONCURRENT", "4", "OCTO_DIR", "state"), workingDirectory);
        injector = Octo.injector(config);
    }

    static List<Key<?>> everyBinding() {
        return List.of(
                Key.get(TaskEngine.class),
                Key.get(CommandInterpreter.class),
                Key.get(InterpretCommandUseCase.class),
                Key.get(EngineSettings.class),
                Key.get(TaskStore.class),
                Key.get(ConversationStore.class),
                Key.get(ProcessRunner.class),
                Key.get(AgentRunner.class),
                Key.get(AgentCatalogue.class),
                Key.get(AgentDefinitions.class),
                Key.get(AgentTranscripts.class),
                Key.get(CommandRunner.class),
                Key.get(TaskIds.class),
                Key.get(Clock.class),
                Key.get(SupervisorChat.class),
                Key.get(SupervisorConversationStore.class),
                Key.get(ChatModelsSetup.class),
                Key.get(DispatchTaskUseCase.class),
                Key.get(CancelTaskUseCase.class),
                Key.get(ResumeTaskUseCase.class),
                Key.get(RetryTaskUseCase.class),
                Key.get(FollowUpTaskUseCase.class),
                Key.get(CleanTasksUseCase.class),
                Key.get(HoldQueueUseCase.class),
                Key.get(TaskQueries.class),
                TelegramModule.FRONT_END,
                Key.get(BotStopLine.class));
    }

    /**
     * Every use case of {@code port.in}: its interfaces that are not sealed (the sealed ones are
     * values a use case answers with), found in the compiled package so that a new one is not missed.
     */
    static List<Class<?>> everyInboundPort() {
        return new ClassFileImporter().importPackages(PORT_IN).stream()
                .filter(javaClass -> javaClass.getPackageName().equals(PORT_IN) && javaClass.isTopLevelClass())
                .map(JavaClass::reflect)
                .filter(type -> type.isInterface() && !type.isSealed())
                .<Class<?>>map(type -> type)
                .sorted(Comparator.comparing(Class::getName))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("everyBinding")
    void eachBindingResolvesToOneInstance(Key<?> key) {
        Object first = injector.getInstance(key);
        Object second = injector.getInstance(key);

        assertThat(first).isNotNull().isSameAs(second);
        assertThat(Scopes.isSingleton(injector.getBinding(key))).as("%s is a singleton", key).isTrue();
    }

    @Test
    void everyBindingOfOursIsASingleton() {
        // Guice adds bindings of its own (the Injector, the Stage, a java.util.logging Logger)
        List<Key<?>> ours = injector.getBindings().keySet().stream()
                .filter(key -> !key.getTypeLiteral().getRawType().getName().startsWith("com.google.inject."))
                .filter(key -> key.getTypeLiteral().getRawType() != Logger.class)
                .toList();

        assertThat(ours).containsExactlyInAnyOrderElementsOf(everyBinding());
        for (Key<?> key : ours) {
            Binding<?> binding = injector.getBinding(key);
            assertThat(Scopes.isSingleton(binding)).as("%s is a singleton", key).isTrue();
        }
    }

    @Test
    void theUseCasesAreFoundInTheirPackage() {
        // the check below must not pass because it found nothing to check
        assertThat(everyInboundPort()).contains(DispatchTaskUseCase.class, TaskQueries.class, HoldQueueUseCase.class)
                .doesNotContain(TaskOutcome.class);
    }

    @ParameterizedTest
    @MethodSource("everyInboundPort")
    void eachUseCaseIsBoundOnItsOwnToTheOneEngine(Class<?> port) {
        // a front end asks for the interfaces it needs; behind every one the engine serves is the one
        // engine, so that they share its worker pool and its waiters
        assertThat(injector.getExistingBinding(Key.get(port))).as("%s is bound", port.getSimpleName()).isNotNull();
        Object instance = injector.getInstance(port);
        TaskEngine engine = injector.getInstance(TaskEngine.class);

        assertThat(instance).isInstanceOf(port);
        if (port.isInstance(engine)) {
            assertThat(instance).isSameAs(engine);
        }
        assertThat(Scopes.isSingleton(injector.getBinding(port))).as("%s is a singleton", port).isTrue();
    }

    @Test
    void theSettingsComeFromTheConfiguration() {
        EngineSettings settings = injector.getInstance(EngineSettings.class);

        assertThat(settings).isSameAs(injector.getInstance(TaskEngine.class).settings());
        assertThat(settings.maxConcurrent()).isEqualTo(4);
        assertThat(settings.workingDirectory()).isEqualTo(config.workingDirectory());
    }

    @Test
    void theStoresUseTheConfiguredStateFolder() {
        injector.getInstance(TaskStore.class);

        assertThat(workingDirectory.resolve("state/tasks")).isDirectory();
        assertThat(workingDirectory.resolve(".octo")).doesNotExist();
    }

    @Test
    void withoutAnLlmProviderTheSupervisorChatSaysWhatToConfigure() {
        assertThat(injector.getInstance(SupervisorChat.class)).isInstanceOf(UnconfiguredSupervisorChat.class);

        Reply reply = injector.getInstance(CommandInterpreter.class).handle("cli", "please run the tests");

        assertThat(reply).isInstanceOf(Reply.Error.class);
        assertThat(reply.text()).isEqualTo(UnconfiguredSupervisorChat.REASON).contains("OCTO_LLM_PROVIDER");
    }

    @Test
    void withAnLlmProviderTheSupervisorChatIsTheLangChain4jOne(@TempDir Path other) {
        Injector configured = Octo.injector(ConfigLoader.load(Map.of("OCTO_LLM_PROVIDER", "openai",
                "OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_API_KEY", "test-key"), other));

        assertThat(configured.getInstance(ChatModelsSetup.class)).isInstanceOf(ChatModelsSetup.Ready.class);
        assertThat(configured.getInstance(SupervisorChat.class)).isInstanceOf(LangChain4jSupervisorChat.class);
    }

    @Test
    void withoutAnLlmProviderThereAreNoModels() {
        assertThat(injector.getInstance(ChatModelsSetup.class)).isEqualTo(new ChatModelsSetup.NotConfigured());
    }

    @Test
    void theConfiguredProviderIsReachedAtItsConfiguredAddressWithTheConfiguredModel(@TempDir Path other) {
        try (FakeLlmServer server = FakeLlmServer.start(Protocol.OPENAI)) {
            server.answerText("hello from the model");
            Injector configured = Octo.injector(ConfigLoader.load(Map.of("OCTO_LLM_PROVIDER", "openai",
                    "OPENAI_BASE_URL", server.baseUrl(), "OPENAI_API_KEY", "sk-test", "OCTO_LLM_MODEL", "local-model"), other));

            ChatModelsSetup setup = configured.getInstance(ChatModelsSetup.class);

            assertThat(setup).isInstanceOf(ChatModelsSetup.Ready.class);
            ChatModels models = ((ChatModelsSetup.Ready) setup).models();
            assertThat(models.describe()).isEqualTo("openai local-model");
            assertThat(models.chat(Optional.empty()).chat("hello")).isEqualTo("hello from the model");
            assertThat(server.lastRequest().model()).isEqualTo("local-model");
        }
    }

    @Test
    void withLlmSettingsThatCannotWorkTheSupervisorChatSaysWhichToFix(@TempDir Path other) {
        Injector misconfigured = Octo.injector(ConfigLoader.load(Map.of("OCTO_LLM_PROVIDER", "anthropic"), other));

        Reply reply = misconfigured.getInstance(CommandInterpreter.class).handle("cli", "please run the tests");

        assertThat(misconfigured.getInstance(ChatModelsSetup.class)).isInstanceOf(ChatModelsSetup.Misconfigured.class);
        assertThat(reply).isInstanceOf(Reply.Error.class);
        assertThat(reply.text()).contains("OCTO_LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY").doesNotContain("\n");
    }

    @Test
    void withoutAnLlmProviderAgentTasksAreRefusedSayingWhatToSet() {
        assertThat(injector.getInstance(AgentRunner.class)).isInstanceOf(UnconfiguredAgentRunner.class);

        Reply reply = injector.getInstance(CommandInterpreter.class).handle("cli", "/agent tidy up the README");

        assertThat(reply).isInstanceOf(Reply.Error.class);
        assertThat(reply.text()).isEqualTo(UnconfiguredAgentRunner.REASON);
        assertThat(injector.getInstance(TaskQueries.class).list(Optional.empty())).isEmpty();
    }

    @Test
    void withAProviderAgentTasksRunOnItsModels(@TempDir Path other) {
        Injector configured = Octo.injector(ConfigLoader.load(Map.of("OCTO_LLM_PROVIDER", "openai",
                "OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_API_KEY", "sk-test"), other));

        assertThat(configured.getInstance(AgentRunner.class)).isInstanceOf(LangChain4jAgentRunner.class);
    }

    @Test
    void anAgentThatIsNotDefinedIsRefusedNamingTheKnownOnes(@TempDir Path other) throws Exception {
        // where agents can run at all: without an LLM, that is what an agent task is refused for
        OctoConfig withLlm = ConfigLoader.load(Map.of("OCTO_LLM_PROVIDER", "openai",
                "OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_API_KEY", "test-key"), other);
        Files.createDirectories(withLlm.agentsDirectory().resolve("reviewer"));
        Files.writeString(withLlm.agentsDirectory().resolve("reviewer/AGENT.md"), "---\nname: reviewer\n---\nReview.\n");

        TaskOutcome outcome = Octo.injector(withLlm).getInstance(DispatchTaskUseCase.class).dispatch(new DispatchTask.Agent(
                "write the docs", Optional.of("writer"), Optional.empty(), Optional.empty()));

        assertThat(outcome.message()).isEqualTo("Unknown agent 'writer'. Known agents: default, reviewer.");
    }

    @Test
    void withoutATokenThereIsNoBot() {
        assertThat(injector.getInstance(TelegramModule.FRONT_END)).isEmpty();
    }

    @Test
    void withATokenAndItsOwnerTheBotIsBoundButNotStarted() {
        Injector withTelegram = Octo.injector(ConfigLoader.load(Map.of("OCTO_DIR", "state",
                "TELEGRAM_BOT_TOKEN", "123456:wiring", "TELEGRAM_OWNER_ID", "42",
                "TELEGRAM_API_URL", "http://127.0.0.1:9"), workingDirectory));

        Optional<TelegramFrontEnd> bot = withTelegram.getInstance(TelegramModule.FRONT_END);

        assertThat(bot).hasValueSatisfying(frontEnd -> assertThat(frontEnd.isRunning()).isFalse());
        assertThat(bot).isSameAs(withTelegram.getInstance(TelegramModule.FRONT_END));
        bot.orElseThrow().close();
    }

    @Test
    void twoInjectorsShareNothing(@TempDir Path other) {
        Injector second = Octo.injector(ConfigLoader.load(Map.of(), other));

        assertThat(second.getInstance(TaskEngine.class)).isNotSameAs(injector.getInstance(TaskEngine.class));
        assertThat(second.getInstance(TaskStore.class)).isNotSameAs(injector.getInstance(TaskStore.class));
    }
}
