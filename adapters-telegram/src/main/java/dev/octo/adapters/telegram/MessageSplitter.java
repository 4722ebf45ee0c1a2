package dev.octo.adapters.telegram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Cuts an HTML message into messages Telegram accepts: each at most {@link #LIMIT} characters of
 * markup (stricter than Telegram, which counts only the visible text, so a chunk is never refused
 * for its length), cut after a line where one fits, never inside a tag or an entity. A tag still
 * open at a cut is closed at the end of the chunk and opened again at the start of the next, so every
 * chunk is valid markup on its own.
 */
final class MessageSplitter {

    /** Telegram's limit on one message's text. */
    static final int LIMIT = 4096;

    private MessageSplitter() {
    }

    static List<String> split(String html) {
        return split(html, LIMIT);
    }

    static List<String> split(String html, int limit) {
        if (html.length() <= limit) {
            return List.of(html);
        }
        List<String> chunks = new ArrayList<>();
        Deque<Tag> open = new ArrayDeque<>();
        StringBuilder current = new StringBuilder();
        int start = 0; // where the chunk's own text begins, after the tags opened again
        int lastBreak = -1; // just after the chunk's last newline
        List<Tag> openAtBreak = List.of();
        int i = 0;
        while (i < html.length()) {
            int end = atomEnd(html, i);
            String atom = html.substring(i, end);
            List<Tag> after = applied(open, atom);
            while (current.length() > start
                    && current.length() + atom.length() + closingLength(after) > limit) {
                if (lastBreak > start) {
                    String rest = current.substring(lastBreak);
                    chunks.add(withoutTrailingNewline(current.substring(0, lastBreak)) + closing(openAtBreak));
                    current.setLength(0);
                    current.append(opening(openAtBreak));
                    start = current.length();
                    current.append(rest);
                } else {
                    chunks.add(current + closing(List.copyOf(open)));
                    current.setLength(0);
                    current.append(opening(List.copyOf(open)));
                    start = current.length();
                }
                lastBreak = -1;
            }
            current.append(atom);
            open.clear();
            open.addAll(after);
            if (atom.equals("\n")) {
                lastBreak = current.length();
                openAtBreak = List.copyOf(open);
            }
            i = end;
        }
        if (current.length() > start) {
            chunks.add(current + closing(List.copyOf(open)));
        }
        chunks.removeIf(chunk -> Html.toPlain(chunk).isBlank());
        return chunks;
    }

    /** A tag left open: its name and the whole start tag, to open it again. */
    private record Tag(String name, String startTag) {
    }

    /** The end of the tag, entity, character (a surrogate pair kept whole) or newline at {@code i}. */
    private static int atomEnd(String html, int i) {
        char c = html.charAt(i);
        if (c == '<') {
            int end = html.indexOf('>', i);
            return end < 0 ? i + 1 : end + 1;
        }
        if (c == '&') {
            int end = html.indexOf(';', i);
            // an entity is short; a lone '&' (which escaped text never holds) is a character
            return end < 0 || end - i > 10 ? i + 1 : end + 1;
        }
        if (Character.isHighSurrogate(c) && i + 1 < html.length() && Character.isLowSurrogate(html.charAt(i + 1))) {
            return i + 2;
        }
        return i + 1;
    }

    /** The open tags, outermost first, after {@code atom}. */
    private static List<Tag> applied(Deque<Tag> open, String atom) {
        if (atom.length() < 3 || atom.charAt(0) != '<' || atom.charAt(atom.length() - 1) != '>') {
            return List.copyOf(open);
        }
        List<Tag> after = new ArrayList<>(open);
        if (atom.charAt(1) == '/') {
            String name = atom.substring(2, atom.length() - 1).strip();
            for (int k = after.size() - 1; k >= 0; k--) {
                if (after.get(k).name().equals(name)) {
                    after.remove(k);
                    break;
                }
            }
        } else {
            String inside = atom.substring(1, atom.length() - 1);
            int blank = inside.indexOf(' ');
            after.add(new Tag(blank < 0 ? inside : inside.substring(0, blank), atom));
        }
        return after;
    }

    private static int closingLength(List<Tag> open) {
        int length = 0;
        for (Tag tag : open) {
            length += tag.name().length() + 3;
        }
        return length;
    }

    private static String closing(List<Tag> open) {
        StringBuilder text = new StringBuilder();
        for (int k = open.size() - 1; k >= 0; k--) {
            text.append("</").append(open.get(k).name()).append('>');
        }
        return text.toString();
    }

    private static String opening(List<Tag> open) {
        StringBuilder text = new StringBuilder();
        for (Tag tag : open) {
            text.append(tag.startTag());
        }
        return text.toString();
    }

    private static String withoutTrailingNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
