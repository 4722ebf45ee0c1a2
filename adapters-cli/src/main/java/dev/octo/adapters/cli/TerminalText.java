package dev.octo.adapters.cli;

/**
 * Makes text safe to write to a terminal. Whatever a task printed (or a user typed, or a file held)
 * may carry escape sequences that move the cursor, clear the screen, retitle the window or change
 * colours; once neutralized it can only ever show as characters. Octo's own styling is added after,
 * by the console, so it is untouched.
 */
public final class TerminalText {

    private TerminalText() {
    }

    /**
     * {@code text} with every control character made visible: newline and tab stay as they are; a
     * carriage return that ends a line ("\r\n") is dropped, any other shows as {@code ^M}, so it
     * cannot overwrite what came before; the other C0 controls and DEL show in caret notation
     * ({@code ESC} as {@code ^[}); C1 controls and the bidirectional overrides, which can reorder
     * what a line seems to say, show as a backslash, {@code u} and four hex digits, as in Java.
     */
    public static String neutralize(String text) {
        int first = firstUnsafe(text);
        if (first < 0) {
            return text; // the common case: nothing to copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue;
            }
            if (isSafe(c)) {
                out.append(c);
            } else if (c < 0x20) {
                out.append('^').append((char) (c + 0x40));
            } else if (c == 0x7F) {
                out.append("^?");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isSafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSafe(char c) {
        if (c == '\n' || c == '\t') {
            return true;
        }
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            return false;
        }
        // LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI
        return !(c >= 0x202A && c <= 0x202E) && !(c >= 0x2066 && c <= 0x2069);
    }
}
