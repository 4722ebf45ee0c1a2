package dev.octo.bootstrap.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.lang.ArchRule;
import dev.octo.application.port.out.Notifier;
import java.time.Clock;
import java.time.InstantSource;

/**
 * The architecture rules of the project (DESIGN.md section 3, STYLE.md "ArchUnit"), in one place.
 *
 * <p>{@link ArchitectureTest} checks every rule against the production classes, and
 * {@link ArchitectureRulesCanaryTest} checks the very same rule objects against deliberately bad
 * classes and expects each to be caught, so a rule can never pass by matching nothing.
 *
 * <p>Every rule fails when it checks no class at all ({@code allowEmptyShould(false)}). None needs an
 * exception while the modules are still being written: each holds at least its {@code package-info}.
 */
public final class ArchitectureRules {

    static final String DOMAIN = "dev.octo.domain..";
    static final String APPLICATION = "dev.octo.application..";
    static final String APPLICATION_PORT_IN = "dev.octo.application.port.in..";
    static final String BOOTSTRAP = "dev.octo.bootstrap..";
    static final String PERSISTENCE_ADAPTER = "dev.octo.adapters.persistence..";
    static final String LLM_ADAPTER = "dev.octo.adapters.llm..";
    static final String CLI_ADAPTER = "dev.octo.adapters.cli..";
    static final String TELEGRAM_ADAPTER = "dev.octo.adapters.telegram..";

    static final String JACKSON = "com.fasterxml..";
    static final String GUICE = "com.google.inject..";
    static final String LANGCHAIN4J = "dev.langchain4j..";
    static final String TELEGRAMBOTS = "org.telegram..";
    static final String OKHTTP = "okhttp3..";
    static final String JLINE = "org.jline..";

    /** The domain is a reusable library: it needs the JDK and nothing else (no Jackson annotations either). */
    public static final ArchRule DOMAIN_DEPENDS_ONLY_ON_THE_JDK = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN)
            .because("the domain is a library any frontend or test can drive with the JDK alone")
            .allowEmptyShould(false);

    /**
     * The application sees the domain and the JDK only: no Jackson, Guice, Guava, LangChain4j,
     * TelegramBots, JLine or OkHttp type, and no adapter or bootstrap class.
     */
    public static final ArchRule APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN_AND_THE_JDK = classes()
            .that().resideInAPackage(APPLICATION)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, APPLICATION)
            .because("technology stays behind the ports, in the adapters and in bootstrap")
            .allowEmptyShould(false);

    /** Jackson stays in the persistence adapter; bootstrap has no need of it either. */
    public static final ArchRule JACKSON_ONLY_IN_THE_PERSISTENCE_ADAPTER =
            onlyInside(PERSISTENCE_ADAPTER, "Jackson", JACKSON);

    public static final ArchRule LANGCHAIN4J_ONLY_IN_THE_LLM_ADAPTER =
            onlyInside(LLM_ADAPTER, "LangChain4j", LANGCHAIN4J);

    public static final ArchRule TELEGRAMBOTS_ONLY_IN_THE_TELEGRAM_ADAPTER =
            onlyInside(TELEGRAM_ADAPTER, "TelegramBots", TELEGRAMBOTS);

    /** OkHttp comes with TelegramBots and belongs to the same adapter. */
    public static final ArchRule OKHTTP_ONLY_IN_THE_TELEGRAM_ADAPTER =
            onlyInside(TELEGRAM_ADAPTER, "OkHttp", OKHTTP);

    public static final ArchRule JLINE_ONLY_IN_THE_CLI_ADAPTER =
            onlyInside(CLI_ADAPTER, "JLine", JLINE);

    /** Only bootstrap wires the application together. */
    public static final ArchRule GUICE_ONLY_IN_BOOTSTRAP = onlyInside(BOOTSTRAP, "Guice", GUICE);

    /**
     * No adapter knows another; they meet only through the application's ports. The slices hold at
     * least each adapter's {@code package-info}, so the rule checks something even before the
     * adapters have classes.
     */
    public static final ArchRule ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER = slices()
            .matching("dev.octo.adapters.(*)..")
            .should().notDependOnEachOther()
            .because("adapters meet only through the application's ports")
            .allowEmptyShould(false);

    /**
     * The front ends (the terminal, Telegram) use the application only through its incoming ports,
     * and show domain types. The one outgoing port they may know is {@link Notifier}, because a front
     * end is where task events are told: it implements it. Engine, store, runners and bootstrap stay
     * out of their reach, so a front end cannot do what the commands do not offer.
     */
    public static final ArchRule FRONT_ENDS_DEPEND_ONLY_ON_INCOMING_PORTS = noClasses()
            .that().resideInAnyPackage(CLI_ADAPTER, TELEGRAM_ADAPTER)
            .should().dependOnClassesThat(resideInAPackage(APPLICATION)
                    .and(not(resideInAPackage(APPLICATION_PORT_IN)))
                    .and(not(equivalentTo(Notifier.class)))
                    .as("are application classes other than port.in and Notifier"))
            .orShould().dependOnClassesThat().resideInAPackage(BOOTSTRAP)
            .because("every front end offers the same commands, which the incoming ports define")
            .allowEmptyShould(false);

    /**
     * A clock read: any method named {@code now} (Instant, LocalDateTime, ZonedDateTime, ...), called
     * or taken as a method reference, {@code System.currentTimeMillis}, {@code System.nanoTime}, and
     * {@code new Date()}.
     */
    private static final DescribedPredicate<JavaAccess<?>> READS_THE_CLOCK = DescribedPredicate.describe(
            "reads the clock (now(), System.currentTimeMillis(), System.nanoTime(), new Date())",
            access -> readsTheClock(access.getTarget()));

    /**
     * Every domain transition takes the {@code Instant} it happens at; the domain never reads a
     * clock and does not hold one ({@code Clock} and {@code InstantSource} belong to the application).
     */
    public static final ArchRule THE_DOMAIN_NEVER_READS_THE_CLOCK = noClasses()
            .that().resideInAPackage(DOMAIN)
            .should().accessTargetWhere(READS_THE_CLOCK)
            .orShould().dependOnClassesThat().belongToAnyOf(Clock.class, InstantSource.class)
            .because("the domain is told the time, so its behaviour is the same in every test run")
            .allowEmptyShould(false);

    /**
     * Application and adapter classes have plain constructors: no {@code jakarta.inject},
     * {@code javax.inject} or Guice annotation (nor any other of their types) outside bootstrap.
     */
    public static final ArchRule NO_DEPENDENCY_INJECTION_OUTSIDE_BOOTSTRAP = noClasses()
            .that().resideOutsideOfPackage(BOOTSTRAP)
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.inject..", "javax.inject..", GUICE)
            .because("bootstrap wires with @Provides methods that call plain constructors")
            .allowEmptyShould(false);

    private ArchitectureRules() {
    }

    private static ArchRule onlyInside(String home, String library, String libraryPackage) {
        return noClasses()
                .that().resideOutsideOfPackage(home)
                .should().dependOnClassesThat().resideInAPackage(libraryPackage)
                .as("%s (%s) is used only in %s".formatted(library, libraryPackage, home))
                .because("no %s type crosses a port".formatted(library))
                .allowEmptyShould(false);
    }

    private static boolean readsTheClock(AccessTarget target) {
        String owner = target.getOwner().getName();
        return switch (target.getName()) {
            case "now" -> true;
            case "currentTimeMillis", "nanoTime" -> owner.equals("java.lang.System");
            // new Date(long) is a plain value; only the no-argument constructor reads the clock
            case JavaConstructor.CONSTRUCTOR_NAME -> owner.equals("java.util.Date")
                    && target instanceof CodeUnitAccessTarget constructor
                    && constructor.getRawParameterTypes().isEmpty();
            default -> false;
        };
    }
}
