package dev.octo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClaudeCommandRuleTest {

    private static final String ARGS = "--model opus --verbose";
    private static final ClaudeCommandRule RULE = new ClaudeCommandRule(ARGS);

    /** A command line and what it becomes with {@value #ARGS}; written out, spaces and quotes included. */
    static Stream<Arguments> commandLines() {
        return Stream.of(
                // the cases the design names
                rewritten("claude -p \"x\"",
                        "claude --model opus --verbose -p \"x\""),
                rewritten("/usr/local/bin/claude -p x",
                        "/usr/local/bin/claude --model opus --verbose -p x"),
                rewritten("cd /repo && claude -p 'fix it'",
                        "cd /repo && claude --model opus --verbose -p 'fix it'"),
                rewritten("A=1 claude -p x",
                        "A=1 claude --model opus --verbose -p x"),
                rewritten("claude -p x | tee out; claude -p y",
                        "claude --model opus --verbose -p x | tee out; claude --model opus --verbose -p y"),
                untouched("echo \"claude is great\""),
                untouched("claudette -p x"),
                // command substitution, subshells and grouping
                rewritten("echo $(claude -p x)",
                        "echo $(claude --model opus --verbose -p x)"),
                rewritten("echo \"$(claude -p x)\"",
                        "echo \"$(claude --model opus --verbose -p x)\""),
                rewritten("echo `claude -p x`",
                        "echo `claude --model opus --verbose -p x`"),
                rewritten("RESULT=$(claude -p x) && echo \"$RESULT\"",
                        "RESULT=$(claude --model opus --verbose -p x) && echo \"$RESULT\""),
                rewritten("(claude -p x)",
                        "(claude --model opus --verbose -p x)"),
                rewritten("{ claude -p x; }",
                        "{ claude --model opus --verbose -p x; }"),
                rewritten("diff <(claude -p a) <(claude -p b)",
                        "diff <(claude --model opus --verbose -p a) <(claude --model opus --verbose -p b)"),
                rewritten("claude -p \"$(cat prompt.md)\"",
                        "claude --model opus --verbose -p \"$(cat prompt.md)\""),
                // redirections
                rewritten("claude -p x 2>&1 | tee log",
                        "claude --model opus --verbose -p x 2>&1 | tee log"),
                rewritten("claude -p x > out.txt 2> err.txt",
                        "claude --model opus --verbose -p x > out.txt 2> err.txt"),
                rewritten(">out.txt claude -p x",
                        ">out.txt claude --model opus --verbose -p x"),
                rewritten("claude -p x &> all.log",
                        "claude --model opus --verbose -p x &> all.log"),
                untouched("echo hi > claude"),
                untouched("echo hi &> /dev/null claude"),
                rewritten("claude -p x &>> all.log",
                        "claude --model opus --verbose -p x &>> all.log"),
                // here-documents: the body is text, not commands
                rewritten("cat <<EOF > prompt.txt\nclaude should review this\nEOF\nclaude -p \"$(cat prompt.txt)\"",
                        "cat <<EOF > prompt.txt\nclaude should review this\nEOF\n"
                                + "claude --model opus --verbose -p \"$(cat prompt.txt)\""),
                untouched("cat <<'EOF'\nclaude -p x\nEOF"),
                rewritten("cat <<-END\n\tclaude -p x\n\tEND\nclaude -p y",
                        "cat <<-END\n\tclaude -p x\n\tEND\nclaude --model opus --verbose -p y"),
                rewritten("cat <<EOF; claude -p x\nclaude in the body\nEOF",
                        "cat <<EOF; claude --model opus --verbose -p x\nclaude in the body\nEOF"),
                rewritten("claude -p x <<EOF\nclaude -p y\nEOF",
                        "claude --model opus --verbose -p x <<EOF\nclaude -p y\nEOF"),
                untouched("cat <<< 'claude -p x'"),
                // prefix words
                rewritten("timeout 60 claude -p x",
                        "timeout 60 claude --model opus --verbose -p x"),
                rewritten("env A=1 claude",
                        "env A=1 claude --model opus --verbose"),
                rewritten("env -i claude -p x",
                        "env -i claude --model opus --verbose -p x"),
                rewritten("nohup claude -p x &",
                        "nohup claude --model opus --verbose -p x &"),
                rewritten("time claude -p x",
                        "time claude --model opus --verbose -p x"),
                rewritten("exec claude -p x",
                        "exec claude --model opus --verbose -p x"),
                rewritten("timeout -s KILL 60 claude -p x",
                        "timeout -s KILL 60 claude --model opus --verbose -p x"),
                rewritten("timeout --kill-after=5 -k 5 600 claude -p x",
                        "timeout --kill-after=5 -k 5 600 claude --model opus --verbose -p x"),
                rewritten("sudo -u builder claude -p x",
                        "sudo -u builder claude --model opus --verbose -p x"),
                rewritten("sudo -u builder timeout 60 env -u HOME A=1 claude -p x",
                        "sudo -u builder timeout 60 env -u HOME A=1 claude --model opus --verbose -p x"),
                rewritten("command claude -p x",
                        "command claude --model opus --verbose -p x"),
                rewritten("command -v claude >/dev/null && claude -p x",
                        "command -v claude >/dev/null && claude --model opus --verbose -p x"),
                rewritten("! claude -p x",
                        "! claude --model opus --verbose -p x"),
                // the program word alone, and as written
                rewritten("claude",
                        "claude --model opus --verbose"),
                rewritten("  claude  ",
                        "  claude --model opus --verbose  "),
                rewritten("claude   -p   \"a  b\"",
                        "claude --model opus --verbose   -p   \"a  b\""),
                rewritten("\"claude\" -p x",
                        "\"claude\" --model opus --verbose -p x"),
                rewritten("claude -p \"say claude\"",
                        "claude --model opus --verbose -p \"say claude\""),
                rewritten("claude -p 'claude -p y; claude'",
                        "claude --model opus --verbose -p 'claude -p y; claude'"),
                // separators
                rewritten("claude -p x\nclaude -p y",
                        "claude --model opus --verbose -p x\nclaude --model opus --verbose -p y"),
                rewritten("if true; then claude -p x; fi",
                        "if true; then claude --model opus --verbose -p x; fi"),
                rewritten("while read l; do claude -p \"$l\"; done < tasks.txt",
                        "while read l; do claude --model opus --verbose -p \"$l\"; done < tasks.txt"),
                rewritten("make || claude -p fix&&claude -p again",
                        "make || claude --model opus --verbose -p fix&&claude --model opus --verbose -p again"),
                rewritten("echo x|claude -p y",
                        "echo x|claude --model opus --verbose -p y"),
                // claude as something other than the program
                untouched("echo claude"),
                untouched("./claude-wrapper -p x"),
                untouched("claude-code -p x"),
                untouched("/opt/claude/bin/run -p x"),
                untouched("echo '$(claude -p x)'"),
                untouched("# claude -p x"),
                untouched("ls # then claude -p x"),
                untouched("CLAUDE=claude"),
                untouched("grep -r claude ."),
                untouched(""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("commandLines")
    void theExtraArgumentsFollowEveryClaudeProgramWordAndNothingElse(String line, String expected) {
        assertThat(RULE.apply(line)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("commandLines")
    void aLineInvokesClaudeExactlyWhenTheRuleChangesIt(String line, String expected) {
        assertThat(ClaudeCommandRule.invokesClaude(line)).isEqualTo(!expected.equals(line));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("commandLines")
    void theTimeoutPolicySeesClaudeExactlyWhereTheRuleChangesTheLine(String line, String expected) {
        // a claude floor above the test floor, so that a line with both names claude
        TimeoutPolicy policy = new TimeoutPolicy(Duration.ofHours(9), Duration.ZERO);

        assertThat(policy.longWorkIn(line).filter(work -> work == TimeoutPolicy.LongWork.CLAUDE).isPresent())
                .isEqualTo(!expected.equals(line));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("commandLines")
    void withoutExtraArgumentsNothingChanges(String line, String expected) {
        assertThat(ClaudeCommandRule.NONE.apply(line)).isSameAs(line);
        assertThat(new ClaudeCommandRule("").apply(line)).isSameAs(line);
        assertThat(new ClaudeCommandRule(" \t ").apply(line)).isSameAs(line);
    }

    @Test
    void theExtraArgumentsAreTrimmed() {
        ClaudeCommandRule rule = new ClaudeCommandRule("  --verbose \n");

        assertThat(rule.additionalArgs()).isEqualTo("--verbose");
        assertThat(rule.apply("claude -p x")).isEqualTo("claude --verbose -p x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "cd /repo && /opt/bin/claude -p x", "echo $(claude)"})
    void aClaudeInvocationIsSeen(String line) {
        assertThat(ClaudeCommandRule.invokesClaude(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "echo claude", "claudette", "sh -c 'claude -p x'"})
    void aLineThatOnlyMentionsClaudeDoesNotInvokeIt(String line) {
        assertThat(ClaudeCommandRule.invokesClaude(line)).isFalse();
    }

    @Test
    void nullsAreProgrammingErrors() {
        assertThatNullPointerException().isThrownBy(() -> new ClaudeCommandRule(null));
        assertThatNullPointerException().isThrownBy(() -> RULE.apply(null));
    }

    private static Arguments rewritten(String line, String expected) {
        return Arguments.of(line, expected);
    }

    private static Arguments untouched(String line) {
        return Arguments.of(line, line);
    }
}
