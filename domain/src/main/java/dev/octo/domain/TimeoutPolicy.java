package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Decides a task's time limit. No limit unless one is asked for; an asked limit must be positive.
 * Some work is known to take long, so an asked limit below its floor is raised to it: a claude run
 * gets at least {@code claudeMinimum} ({@code CLAUDE_CODE_TIMEOUT}, 2,400 s by default), a test or
 * build run at least {@code testMinimum} (3,600 s).
 */
public record TimeoutPolicy(Duration claudeMinimum, Duration testMinimum) {

    public static final Duration DEFAULT_CLAUDE_MINIMUM = Duration.ofSeconds(2_400);
    public static final Duration DEFAULT_TEST_MINIMUM = Duration.ofSeconds(3_600);
    public static final TimeoutPolicy DEFAULT = new TimeoutPolicy(DEFAULT_CLAUDE_MINIMUM, DEFAULT_TEST_MINIMUM);

    private static final Set<String> TEST_PROGRAMS = Set.of(
            "pytest", "py.test", "robot", "behave", "cucumber", "cucumber-js", "tox", "nox");
    private static final Set<String> BUILD_TOOLS = Set.of("mvn", "mvnw");
    private static final Set<String> MAVEN_TEST_GOALS = Set.of("test", "verify", "integration-test", "install");
    private static final Set<String> GRADLE_TOOLS = Set.of("gradle", "gradlew");
    private static final Set<String> GRADLE_TEST_TASKS = Set.of("test", "check", "build");
    private static final Set<String> NODE_PACKAGE_MANAGERS = Set.of("npm", "pnpm", "yarn", "bun");
    private static final Set<String> MAKE_TEST_TARGETS = Set.of("test", "check");
    private static final Set<String> LANGUAGE_TEST_TOOLS = Set.of("go", "cargo", "dotnet");

    public TimeoutPolicy {
        requireNonNull(claudeMinimum, "claudeMinimum is null");
        requireNonNull(testMinimum, "testMinimum is null");
        if (claudeMinimum.isNegative() || testMinimum.isNegative()) {
            throw new IllegalArgumentException("timeout floors must not be negative");
        }
    }

    /**
     * The timeout of a process task running {@code command} when {@code requested} was asked.
     *
     * @throws IllegalArgumentException when the requested limit is zero or negative
     */
    public Timeout forCommand(String command, Optional<Duration> requested) {
        requireNonNull(command, "command is null");
        return requested.map(asked -> limited(asked, floorFor(command))).orElse(Timeout.NONE);
    }

    /**
     * The timeout of an agent task when {@code requested} was asked: no floor.
     *
     * @throws IllegalArgumentException when the requested limit is zero or negative
     */
    public Timeout forAgent(Optional<Duration> requested) {
        return requested.map(asked -> limited(asked, Duration.ZERO)).orElse(Timeout.NONE);
    }

    /** The least limit work of this command may be given. */
    public Duration floorFor(String command) {
        return longWorkIn(command).map(this::minimumFor).orElse(Duration.ZERO);
    }

    /**
     * The long-running work in {@code command} that sets its floor: of a command that runs both
     * claude and tests, the one with the higher floor. Empty when the command runs neither.
     */
    public Optional<LongWork> longWorkIn(String command) {
        requireNonNull(command, "command is null");
        Optional<LongWork> found = Optional.empty();
        for (ShellCommandLine.SimpleCommand simple : ShellCommandLine.parse(command).commands()) {
            if (ClaudeCommandRule.runsClaude(simple)) {
                found = higher(found, LongWork.CLAUDE);
            }
            if (isTestOrBuild(simple)) {
                found = higher(found, LongWork.TEST_OR_BUILD);
            }
        }
        return found;
    }

    /** The least limit {@code work} may be given. */
    public Duration minimumFor(LongWork work) {
        return switch (work) {
            case CLAUDE -> claudeMinimum;
            case TEST_OR_BUILD -> testMinimum;
        };
    }

    private Optional<LongWork> higher(Optional<LongWork> found, LongWork work) {
        return found.filter(other -> minimumFor(other).compareTo(minimumFor(work)) >= 0).or(() -> Optional.of(work));
    }

    /** Work known to take long, which a limit may not cut short: it gets a floor. */
    public enum LongWork {
        /** A run of the claude program ({@code CLAUDE_CODE_TIMEOUT}). */
        CLAUDE,
        /** A test run or a build that runs tests. */
        TEST_OR_BUILD
    }

    private static Timeout limited(Duration asked, Duration floor) {
        if (asked.isNegative() || asked.isZero()) {
            throw new IllegalArgumentException("a timeout must be a positive number of seconds, not "
                    + asked.toSeconds());
        }
        return Timeout.limited(asked, max(asked, floor));
    }

    private static boolean isTestOrBuild(ShellCommandLine.SimpleCommand command) {
        String program = command.program().baseName();
        if (TEST_PROGRAMS.contains(program)) {
            return true;
        }
        if (BUILD_TOOLS.contains(program)) {
            return MAVEN_TEST_GOALS.stream().anyMatch(command::hasArgument);
        }
        if (GRADLE_TOOLS.contains(program)) {
            return GRADLE_TEST_TASKS.stream().anyMatch(command::hasArgument);
        }
        if (NODE_PACKAGE_MANAGERS.contains(program)) {
            return command.hasArgument("test");
        }
        if (program.equals("npx")) {
            return command.hasArgument("playwright") || command.hasArgument("jest") || command.hasArgument("vitest");
        }
        if (program.equals("make")) {
            return MAKE_TEST_TARGETS.stream().anyMatch(command::hasArgument);
        }
        if (program.startsWith("python")) {
            return command.hasArgument("pytest") && command.hasArgument("-m");
        }
        if (LANGUAGE_TEST_TOOLS.contains(program)) {
            return command.hasArgument("test");
        }
        return false;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
