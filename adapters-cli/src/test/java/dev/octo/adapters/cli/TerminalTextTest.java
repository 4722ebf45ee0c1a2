package dev.octo.adapters.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void plainTextStaysAsItIsWithItsNewlinesTabsAndWideCharacters() {
        String text = "make test\n\tAll 214 passed ✓ 日本語 🐙";

        assertThat(TerminalText.neutralize(text)).isSameAs(text);
    }

    @Test
    void anEscapeSequenceShowsItsEscapeInCaretNotation() {
        assertThat(TerminalText.neutralize("before\033[2J\033[H\033[31mRED\033[0m\n"))
                .isEqualTo("before^[[2J^[[H^[[31mRED^[[0m\n");
    }

    @Test
    void aWindowTitleSequenceCannotRetitleTheWindow() {
        assertThat(TerminalText.neutralize("\033]0;owned\007")).isEqualTo("^[]0;owned^G");
    }

    @Test
    void everyOtherC0ControlAndDelShowInCaretNotation() {
        assertThat(TerminalText.neutralize("\0\u0001\b\u000B\f\u001A\u001F\u007F"))
                .isEqualTo("^@^A^H^K^L^Z^_^?");
    }

    @Test
    void aCarriageReturnCannotOverwriteTheLineBeforeIt() {
        assertThat(TerminalText.neutralize("50%\r60%\rdone")).isEqualTo("50%^M60%^Mdone");
    }

    @Test
    void aCarriageReturnThatEndsALineIsDropped() {
        assertThat(TerminalText.neutralize("one\r\ntwo\r\n")).isEqualTo("one\ntwo\n");
    }

    @Test
    void c1ControlsShowAsUnicodeEscapes() {
        // U+009B is a one-character CSI to terminals that honour C1 controls
        assertThat(TerminalText.neutralize("a\u009B2Jb\u0085c\u0080")).isEqualTo("a\\u009b2Jb\\u0085c\\u0080");
    }

    @Test
    void bidirectionalOverridesShowAsUnicodeEscapes() {
        assertThat(TerminalText.neutralize("abc\u202Edef\u2066x\u2069")).isEqualTo("abc\\u202edef\\u2066x\\u2069");
    }

    @Test
    void whatTheReplacementOfUndecodableBytesLeavesIsPrintable() {
        String binary = new String(new byte[] {(byte) 0xFF, (byte) 0x9B, 0x1B, '[', '2', 'J', (byte) 0xC3},
                java.nio.charset.StandardCharsets.UTF_8);

        assertThat(TerminalText.neutralize(binary)).doesNotContain("\033").contains("^[[2J");
    }
}
