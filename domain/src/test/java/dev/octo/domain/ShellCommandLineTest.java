package dev.octo.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellCommandLineTest {

    @Test
    void findsTheProgramOfEverySimpleCommandWithItsArguments() {
        ShellCommandLine line = ShellCommandLine.parse("cd /repo && A=1 mvn -q test 2>&1 | tee build.log");

        assertThat(line.line()).isEqualTo("cd /repo && A=1 mvn -q test 2>&1 | tee build.log");
        assertThat(line.commands()).extracting(command -> command.program().text())
                .containsExactly("cd", "mvn", "tee");
        assertThat(line.commands().get(1).arguments()).extracting(ShellCommandLine.Word::text)
                .as("the redirection is not an argument").containsExactly("-q", "test");
        assertThat(line.commands().get(1).hasArgument("test")).isTrue();
        assertThat(line.commands().get(1).hasArgument("2")).isFalse();
    }

    @Test
    void aWordKnowsWhereItStandsInTheLine() {
        String text = "echo 'a b' && \"/opt/bin/claude\" -p x";

        ShellCommandLine.Word program = ShellCommandLine.parse(text).commands().get(1).program();

        assertThat(program.text()).isEqualTo("/opt/bin/claude");
        assertThat(program.baseName()).isEqualTo("claude");
        assertThat(text.substring(program.start(), program.end())).isEqualTo("\"/opt/bin/claude\"");
    }

    @Test
    void quotesAndEscapesAreRemovedFromAWordsText() {
        List<ShellCommandLine.Word> arguments = ShellCommandLine.parse("printf 'a b' \"c\\\"d\" e\\ f")
                .commands().get(0).arguments();

        assertThat(arguments).extracting(ShellCommandLine.Word::text).containsExactly("a b", "c\"d", "e f");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            claude                  | claude
            /usr/bin/claude         | claude
            ./bin/claude-wrapper    | claude-wrapper
            claude/                 | ~~
            """)
    void theBaseNameIsTheLastPathElement(String text, String baseName) {
        assertThat(new ShellCommandLine.Word(text, 0, text.length()).baseName()).isEqualTo(baseName);
    }

    @Test
    void aLineOfOnlyAssignmentsCommentsAndRedirectionsRunsNothing() {
        assertThat(ShellCommandLine.parse("A=1 B=2; # nothing\n> out.txt").commands()).isEmpty();
        assertThat(ShellCommandLine.parse("").commands()).isEmpty();
    }

    @Test
    void anArithmeticExpansionIsNotACommand() {
        assertThat(ShellCommandLine.parse("echo $((1 + 2)) ${HOME}").commands())
                .extracting(command -> command.program().text()).containsExactly("echo");
    }
}
