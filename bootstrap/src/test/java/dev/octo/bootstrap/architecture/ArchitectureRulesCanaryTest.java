package dev.octo.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.octo.adapters.cli.canary.CliReachingIntoTelegram;
import dev.octo.adapters.cli.canary.CliReachingIntoTheService;
import dev.octo.adapters.cli.canary.CliThroughThePorts;
import dev.octo.adapters.cli.canary.CliUsingJLine;
import dev.octo.adapters.cli.canary.CliUsingJackson;
import dev.octo.adapters.llm.canary.LlmUsingLangChain4j;
import dev.octo.adapters.llm.canary.LlmUsingOkHttp;
import dev.octo.adapters.llm.canary.LlmUsingTelegramBots;
import dev.octo.adapters.persistence.canary.PersistenceUsingJackson;
import dev.octo.adapters.persistence.canary.PersistenceUsingLangChain4j;
import dev.octo.adapters.process.canary.NamedParameterProcessRunner;
import dev.octo.adapters.process.canary.ProcessAdapterUsingGuice;
import dev.octo.adapters.process.canary.SingletonProcessRunner;
import dev.octo.adapters.telegram.canary.TelegramReachingIntoTheStore;
import dev.octo.adapters.telegram.canary.TelegramUsingJLine;
import dev.octo.adapters.telegram.canary.TelegramUsingOkHttp;
import dev.octo.adapters.telegram.canary.TelegramUsingTelegramBots;
import dev.octo.application.canary.ApplicationReachingIntoAnAdapter;
import dev.octo.application.canary.ApplicationReachingIntoBootstrap;
import dev.octo.application.canary.ApplicationUsingGuava;
import dev.octo.application.canary.ApplicationUsingGuice;
import dev.octo.application.canary.ApplicationUsingJLine;
import dev.octo.application.canary.ApplicationUsingJackson;
import dev.octo.application.canary.ApplicationUsingLangChain4j;
import dev.octo.application.canary.ApplicationUsingOkHttp;
import dev.octo.application.canary.ApplicationUsingTelegramBots;
import dev.octo.application.canary.ServiceWithJakartaInjectConstructor;
import dev.octo.application.canary.ServiceWithJavaxInjectConstructor;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.bootstrap.canary.BootstrapUsingJackson;
import dev.octo.bootstrap.canary.WiringModule;
import dev.octo.domain.Task;
import dev.octo.domain.canary.CallsInstantNow;
import dev.octo.domain.canary.CallsSystemCurrentTimeMillis;
import dev.octo.domain.canary.CallsSystemNanoTime;
import dev.octo.domain.canary.CreatesADateOfNow;
import dev.octo.domain.canary.DomainReachingIntoTheApplication;
import dev.octo.domain.canary.DomainUsingGuava;
import dev.octo.domain.canary.HoldsAClock;
import dev.octo.domain.canary.HoldsAnInstantSource;
import dev.octo.domain.canary.IsToldTheTime;
import dev.octo.domain.canary.JacksonAnnotatedTask;
import dev.octo.domain.canary.TakesNowAsAMethodReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds every rule of {@link ArchitectureRules} deliberately bad classes (the canaries, in this
 * module's test sources, in the packages the rules guard) and expects each to be caught, so no rule
 * can pass by matching nothing. A violation counts only if it names the canary and what it did
 * wrong: a rule that failed because it checked no class at all would not.
 */
class ArchitectureRulesCanaryTest {

    /** A bad class, the rule that must catch it, and a fragment of the violation that must be reported. */
    record Canary(String rule, Class<?> badClass, String offence, List<Class<?>> alsoImported) {

        Canary(String rule, Class<?> badClass, String offence) {
            this(rule, badClass, offence, List.of());
        }

        ArchRule archRule() {
            return ruleNamed(rule);
        }

        JavaClasses imported() {
            Class<?>[] classes = Stream.concat(Stream.of(badClass), alsoImported.stream()).toArray(Class<?>[]::new);
            return new ClassFileImporter().importClasses(classes);
        }

        @Override
        public String toString() {
            return rule + " catches " + badClass.getSimpleName();
        }
    }

    /** A well-behaved class that the rule must let through, so a canary is not caught merely for existing. */
    record Allowed(String rule, Class<?> goodClass) {

        @Override
        public String toString() {
            return rule + " allows " + goodClass.getSimpleName();
        }
    }

    static List<Canary> canaries() {
        return List.of(
                new Canary("DOMAIN_DEPENDS_ONLY_ON_THE_JDK", JacksonAnnotatedTask.class,
                        "com.fasterxml.jackson.annotation.JsonProperty"),
                new Canary("DOMAIN_DEPENDS_ONLY_ON_THE_JDK", DomainReachingIntoTheApplication.class,
                        "dev.octo.application.port.out.TaskStore"),
                new Canary("DOMAIN_DEPENDS_ONLY_ON_THE_JDK", DomainUsingGuava.class,
                        "com.google.common.collect.ImmutableList"),

                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationUsingJackson.class,
                        "com.fasterxml.jackson.databind.ObjectMapper"),
                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationUsingGuice.class,
                        "com.google.inject.Injector"),
                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationUsingGuava.class,
                        "com.google.common.collect.ImmutableList"),
                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationUsingLangChain4j.class,
                        "dev.langchain4j.model.chat.ChatModel"),
                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationUsingTelegramBots.class,
                        "org.telegram.telegrambots.meta.generics.TelegramClient"),
                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationUsingJLine.class,
                        "org.jline.terminal.Terminal"),
                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationUsingOkHttp.class,
                        "okhttp3.OkHttpClient"),
                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationReachingIntoAnAdapter.class,
                        "dev.octo.adapters.cli.canary.CliUsingJLine"),
                new Canary("APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK", ApplicationReachingIntoBootstrap.class,
                        "dev.octo.bootstrap.canary.WiringModule"),

                new Canary("JACKSON_ONLY_IN_THE_PERSISTENCE_ADAPTER", JacksonAnnotatedTask.class,
                        "com.fasterxml.jackson.annotation.JsonProperty"),
                new Canary("JACKSON_ONLY_IN_THE_PERSISTENCE_ADAPTER", ApplicationUsingJackson.class,
                        "com.fasterxml.jackson.databind.ObjectMapper"),
                new Canary("JACKSON_ONLY_IN_THE_PERSISTENCE_ADAPTER", CliUsingJackson.class,
                        "com.fasterxml.jackson.databind.ObjectMapper"),
                new Canary("JACKSON_ONLY_IN_THE_PERSISTENCE_ADAPTER", BootstrapUsingJackson.class,
                        "com.fasterxml.jackson.databind.ObjectMapper"),
                new Canary("LANGCHAIN4J_ONLY_IN_THE_LLM_ADAPTER", PersistenceUsingLangChain4j.class,
                        "dev.langchain4j.data.message.ChatMessageSerializer"),
                new Canary("LANGCHAIN4J_ONLY_IN_THE_LLM_ADAPTER", ApplicationUsingLangChain4j.class,
                        "dev.langchain4j.model.chat.ChatModel"),
                new Canary("TELEGRAMBOTS_ONLY_IN_THE_TELEGRAM_ADAPTER", LlmUsingTelegramBots.class,
                        "org.telegram.telegrambots.meta.generics.TelegramClient"),
                new Canary("OKHTTP_ONLY_IN_THE_TELEGRAM_ADAPTER", LlmUsingOkHttp.class,
                        "okhttp3.OkHttpClient"),
                new Canary("JLINE_ONLY_IN_THE_CLI_ADAPTER", TelegramUsingJLine.class,
                        "org.jline.terminal.Terminal"),

                new Canary("GUICE_ONLY_IN_BOOTSTRAP", ProcessAdapterUsingGuice.class,
                        "com.google.inject.Injector"),
                new Canary("GUICE_ONLY_IN_BOOTSTRAP", ApplicationUsingGuice.class,
                        "com.google.inject.Injector"),

                new Canary("ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER", CliReachingIntoTelegram.class,
                        "dev.octo.adapters.telegram.canary.TelegramUsingJLine",
                        List.of(TelegramUsingJLine.class)),

                new Canary("FRONT_ENDS_DEPEND_ONLY_ON_INCOMING_PORTS", CliReachingIntoTheService.class,
                        "dev.octo.application.service.TaskEngine"),
                new Canary("FRONT_ENDS_DEPEND_ONLY_ON_INCOMING_PORTS", TelegramReachingIntoTheStore.class,
                        "dev.octo.application.port.out.TaskStore"),

                new Canary("THE_DOMAIN_NEVER_READS_THE_CLOCK", CallsInstantNow.class, "java.time.Instant.now()"),
                new Canary("THE_DOMAIN_NEVER_READS_THE_CLOCK", TakesNowAsAMethodReference.class,
                        "java.time.LocalDateTime.now()"),
                new Canary("THE_DOMAIN_NEVER_READS_THE_CLOCK", CallsSystemCurrentTimeMillis.class,
                        "java.lang.System.currentTimeMillis()"),
                new Canary("THE_DOMAIN_NEVER_READS_THE_CLOCK", CallsSystemNanoTime.class,
                        "java.lang.System.nanoTime()"),
                new Canary("THE_DOMAIN_NEVER_READS_THE_CLOCK", CreatesADateOfNow.class, "java.util.Date.<init>()"),
                new Canary("THE_DOMAIN_NEVER_READS_THE_CLOCK", HoldsAClock.class, "java.time.Clock"),
                new Canary("THE_DOMAIN_NEVER_READS_THE_CLOCK", HoldsAnInstantSource.class, "java.time.InstantSource"),

                new Canary("NO_DEPENDENCY_INJECTION_OUTSIDE_BOOTSTRAP", ServiceWithJakartaInjectConstructor.class,
                        "jakarta.inject.Inject"),
                new Canary("NO_DEPENDENCY_INJECTION_OUTSIDE_BOOTSTRAP", ServiceWithJavaxInjectConstructor.class,
                        "javax.inject.Inject"),
                new Canary("NO_DEPENDENCY_INJECTION_OUTSIDE_BOOTSTRAP", SingletonProcessRunner.class,
                        "jakarta.inject.Singleton"),
                new Canary("NO_DEPENDENCY_INJECTION_OUTSIDE_BOOTSTRAP", NamedParameterProcessRunner.class,
                        "jakarta.inject.Named"),
                new Canary("NO_DEPENDENCY_INJECTION_OUTSIDE_BOOTSTRAP", ProcessAdapterUsingGuice.class,
                        "com.google.inject.Injector"));
    }

    static List<Allowed> allowedClasses() {
        return List.of(
                new Allowed("DOMAIN_DEPENDS_ONLY_ON_THE_JDK", IsToldTheTime.class),
                new Allowed("THE_DOMAIN_NEVER_READS_THE_CLOCK", IsToldTheTime.class),
                new Allowed("JACKSON_ONLY_IN_THE_PERSISTENCE_ADAPTER", PersistenceUsingJackson.class),
                new Allowed("LANGCHAIN4J_ONLY_IN_THE_LLM_ADAPTER", LlmUsingLangChain4j.class),
                new Allowed("TELEGRAMBOTS_ONLY_IN_THE_TELEGRAM_ADAPTER", TelegramUsingTelegramBots.class),
                new Allowed("OKHTTP_ONLY_IN_THE_TELEGRAM_ADAPTER", TelegramUsingOkHttp.class),
                new Allowed("JLINE_ONLY_IN_THE_CLI_ADAPTER", CliUsingJLine.class),
                new Allowed("FRONT_ENDS_DEPEND_ONLY_ON_INCOMING_PORTS", CliThroughThePorts.class),
                new Allowed("GUICE_ONLY_IN_BOOTSTRAP", WiringModule.class),
                new Allowed("NO_DEPENDENCY_INJECTION_OUTSIDE_BOOTSTRAP", WiringModule.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canaries")
    void everyRuleCatchesItsCanary(Canary canary) {
        EvaluationResult result = canary.archRule().evaluate(canary.imported());

        assertThat(result.hasViolation()).as("%s reports a violation", canary.rule()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .as("the violations of %s", canary.rule())
                .anySatisfy(detail -> assertThat(detail)
                        .contains(canary.badClass().getName())
                        .contains(canary.offence()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowedClasses")
    void everyRuleLetsAWellBehavedClassThrough(Allowed allowed) {
        // the domain's Task is there so that rules about everything outside one package still check a class
        JavaClasses classes = new ClassFileImporter().importClasses(allowed.goodClass(), Task.class);

        EvaluationResult result = ruleNamed(allowed.rule()).evaluate(classes);

        assertThat(result.getFailureReport().getDetails()).isEmpty();
    }

    @Test
    void checkingARuleAgainstItsCanaryThrows() {
        JavaClasses bad = new ClassFileImporter().importClasses(CallsInstantNow.class);

        assertThatThrownBy(() -> ArchitectureRules.THE_DOMAIN_NEVER_READS_THE_CLOCK.check(bad))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(CallsInstantNow.class.getName());
    }

    @Test
    void everyRuleHasACanary() {
        List<String> rulesWithACanary = canaries().stream().map(Canary::rule).distinct().toList();

        assertThat(rulesWithACanary).containsExactlyInAnyOrderElementsOf(ruleNames());
    }

    @ParameterizedTest(name = "{0} fails when it checks no class")
    @MethodSource("ruleNames")
    void aRuleThatChecksNoClassFails(String rule) {
        // what the production test would see if the import silently found nothing
        JavaClasses nothingToCheck = new ClassFileImporter().importClasses(List.of());

        assertThatThrownBy(() -> ruleNamed(rule).check(nothingToCheck))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("failed to check any classes");
    }

    @Test
    void theCanariesAreNotProductionClasses() {
        ProductionClassesOnly productionClassesOnly = new ProductionClassesOnly();

        assertThat(Stream.concat(
                        canaries().stream().flatMap(c -> Stream.concat(Stream.of(c.badClass()), c.alsoImported().stream())),
                        allowedClasses().stream().map(Allowed::goodClass)))
                .allSatisfy(canary -> assertThat(productionClassesOnly.includes(locationOf(canary)))
                        .as("%s is imported as a production class", canary.getName())
                        .isFalse());
    }

    @Test
    void theApplicationsTestFakesAreNotProductionClasses() {
        assertThat(new ProductionClassesOnly().includes(locationOf(InMemoryTaskStore.class))).isFalse();
    }

    @Test
    void theDomainIsImportedAsProductionClasses() {
        assertThat(new ProductionClassesOnly().includes(locationOf(Task.class))).isTrue();
    }

    private static Location locationOf(Class<?> type) {
        return Location.of(type.getResource(type.getSimpleName() + ".class"));
    }

    static List<String> ruleNames() {
        return Arrays.stream(ArchitectureRules.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == ArchRule.class)
                .map(Field::getName)
                .toList();
    }

    private static ArchRule ruleNamed(String name) {
        try {
            return (ArchRule) ArchitectureRules.class.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no rule " + name + " in ArchitectureRules", e);
        }
    }
}
