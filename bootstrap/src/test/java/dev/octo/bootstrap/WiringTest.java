package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Scopes;
import com.google.inject.TypeLiteral;
import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.CleanTasksUseCase;
import dev.octo.application.port.in.DispatchTaskUseCase;
import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.RetryTaskUseCase;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.TaskIds;
import dev.octo.application.port.out.TaskStore;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import java.nio.file.Path;
import java.time.Clock;
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
 * The injector of the terminal entry point. The Telegram-only entry point ({@code octo telegram})
 * is not built yet: when it is, its injector gets the same checks here.
 */
class WiringTest {

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
                Key.get(EngineSettings.class),
                Key.get(TaskStore.class),
                Key.get(ConversationStore.class),
                Key.get(ProcessRunner.class),
                Key.get(AgentRunner.class),
                Key.get(TaskIds.class),
                Key.get(Clock.class),
                Key.get(new TypeLiteral<Optional<SupervisorChat>>() { }));
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
    void theEngineServesEveryUseCase() {
        // the use cases are not bound one by one: the interpreter and the channels get them all
        // from the one engine, so that they share its worker pool and its waiters
        TaskEngine engine = injector.getInstance(TaskEngine.class);

        assertThat(engine).isInstanceOf(DispatchTaskUseCase.class)
                .isInstanceOf(CancelTaskUseCase.class)
                .isInstanceOf(ResumeTaskUseCase.class)
                .isInstanceOf(RetryTaskUseCase.class)
                .isInstanceOf(FollowUpTaskUseCase.class)
                .isInstanceOf(CleanTasksUseCase.class)
                .isInstanceOf(TaskQueries.class);
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
    void withoutAnLlmProviderThereIsNoSupervisorChat() {
        assertThat(injector.getInstance(new Key<Optional<SupervisorChat>>() { })).isEmpty();
    }

    @Test
    void twoInjectorsShareNothing(@TempDir Path other) {
        Injector second = Octo.injector(ConfigLoader.load(Map.of(), other));

        assertThat(second.getInstance(TaskEngine.class)).isNotSameAs(injector.getInstance(TaskEngine.class));
        assertThat(second.getInstance(TaskStore.class)).isNotSameAs(injector.getInstance(TaskStore.class));
    }
}
