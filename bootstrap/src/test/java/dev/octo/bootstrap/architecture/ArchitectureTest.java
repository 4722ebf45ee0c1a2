package dev.octo.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/** Checks every rule of {@link ArchitectureRules} against the production classes of all modules. */
@AnalyzeClasses(packages = "dev.octo", importOptions = ProductionClassesOnly.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainDependsOnlyOnTheJdk = ArchitectureRules.DOMAIN_DEPENDS_ONLY_ON_THE_JDK;

    @ArchTest
    static final ArchRule applicationDependsOnlyOnTheDomainAndTheJdk =
            ArchitectureRules.APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK;

    @ArchTest
    static final ArchRule jacksonIsUsedOnlyInThePersistenceAdapter =
            ArchitectureRules.JACKSON_ONLY_IN_THE_PERSISTENCE_ADAPTER;

    @ArchTest
    static final ArchRule langChain4jIsUsedOnlyInTheLlmAdapter = ArchitectureRules.LANGCHAIN4J_ONLY_IN_THE_LLM_ADAPTER;

    @ArchTest
    static final ArchRule telegramBotsAreUsedOnlyInTheTelegramAdapter =
            ArchitectureRules.TELEGRAMBOTS_ONLY_IN_THE_TELEGRAM_ADAPTER;

    @ArchTest
    static final ArchRule okHttpIsUsedOnlyInTheTelegramAdapter = ArchitectureRules.OKHTTP_ONLY_IN_THE_TELEGRAM_ADAPTER;

    @ArchTest
    static final ArchRule jLineIsUsedOnlyInTheCliAdapter = ArchitectureRules.JLINE_ONLY_IN_THE_CLI_ADAPTER;

    @ArchTest
    static final ArchRule guiceIsUsedOnlyInBootstrap = ArchitectureRules.GUICE_ONLY_IN_BOOTSTRAP;

    @ArchTest
    static final ArchRule adaptersDoNotDependOnEachOther = ArchitectureRules.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER;

    @ArchTest
    static final ArchRule frontEndsDependOnlyOnIncomingPorts = ArchitectureRules.FRONT_ENDS_DEPEND_ONLY_ON_INCOMING_PORTS;

    @ArchTest
    static final ArchRule theDomainNeverReadsTheClock = ArchitectureRules.THE_DOMAIN_NEVER_READS_THE_CLOCK;

    @ArchTest
    static final ArchRule noDependencyInjectionOutsideBootstrap =
            ArchitectureRules.NO_DEPENDENCY_INJECTION_OUTSIDE_BOOTSTRAP;

    /**
     * The rules above are only as good as the import they check: it must hold every module, and no
     * canary and no test fake.
     */
    @ArchTest
    static void theImportHoldsEveryModuleAndNoTestClass(JavaClasses classes) {
        List<String> packages = classes.stream().map(JavaClass::getPackageName).distinct().toList();
        assertThat(packages).contains(
                "dev.octo.domain",
                "dev.octo.application.port.out",
                "dev.octo.adapters.persistence",
                "dev.octo.adapters.process",
                "dev.octo.adapters.llm",
                "dev.octo.adapters.cli",
                "dev.octo.adapters.telegram",
                "dev.octo.bootstrap");
        assertThat(packages).noneMatch(name -> name.endsWith(".canary") || name.endsWith(".fakes"));
    }
}
