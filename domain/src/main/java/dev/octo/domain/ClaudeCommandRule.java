package dev.octo.domain;

import static java.util.Objects.requireNonNull;

/**
 * Puts the extra words of {@code ADDITIONAL_CLAUDE_ARGS} right after the program word of every
 * {@code claude} invocation in a shell command line, and nowhere else: {@code cd /repo && claude -p x}
 * becomes {@code cd /repo && claude --flags -p x}, while {@code echo "claude is great"} and
 * {@code claudette -p x} stay as they are. The rest of the line keeps its quotes and spacing.
 */
public final class ClaudeCommandRule {

    public static final String PROGRAM = "claude";
    public static final ClaudeCommandRule NONE = new ClaudeCommandRule("");

    private final String additionalArgs;

    public ClaudeCommandRule(String additionalArgs) {
        this.additionalArgs = requireNonNull(additionalArgs, "additionalArgs is null").strip();
    }

    public String additionalArgs() {
        return additionalArgs;
    }

    /** Whether {@code commandLine} runs claude anywhere. */
    public static boolean invokesClaude(String commandLine) {
        return ShellCommandLine.parse(commandLine).commands().stream().anyMatch(ClaudeCommandRule::runsClaude);
    }

    /** Whether {@code command} runs claude: its program word names it, with or without a path. */
    public static boolean runsClaude(ShellCommandLine.SimpleCommand command) {
        return command.program().baseName().equals(PROGRAM);
    }

    /** {@code commandLine} with the extra words after every claude program word. */
    public String apply(String commandLine) {
        requireNonNull(commandLine, "commandLine is null");
        if (additionalArgs.isEmpty()) {
            return commandLine;
        }
        int[] insertAt = ShellCommandLine.parse(commandLine).commands().stream()
                .filter(ClaudeCommandRule::runsClaude)
                .mapToInt(command -> command.program().end())
                .sorted()
                .toArray();
        StringBuilder out = new StringBuilder(commandLine.length() + insertAt.length * (additionalArgs.length() + 1));
        int from = 0;
        for (int at : insertAt) {
            out.append(commandLine, from, at).append(' ').append(additionalArgs);
            from = at;
        }
        return out.append(commandLine, from, commandLine.length()).toString();
    }
}
