package dev.octo.adapters.telegram.fake;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telegram's HTML parse mode, as strictly as the real server reads it: only its few tags, balanced;
 * {@code <}, {@code >} and {@code &} only as tags or the entities it knows. A message it would
 * refuse ("can't parse entities") is refused here too, so a test catches text that breaks markup.
 */
final class TelegramHtml {

    private static final Set<String> TAGS = Set.of(
            "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
            "tg-spoiler", "span", "blockquote", "tg-emoji");
    private static final Pattern TAG = Pattern.compile("<(/?)([a-z-]+)(\\s[^<>]*)?>");
    private static final Pattern ENTITY = Pattern.compile("&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);");

    private TelegramHtml() {
    }

    /**
     * The text a reader sees, whose length Telegram limits.
     *
     * @throws IllegalArgumentException with Telegram's reason when the markup is not valid
     */
    static String visibleText(String html) {
        StringBuilder visible = new StringBuilder();
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                Matcher tag = TAG.matcher(html).region(i, html.length());
                if (!tag.lookingAt() || !TAGS.contains(tag.group(2))) {
                    throw new IllegalArgumentException(
                            "can't parse entities: unsupported start tag at byte offset " + i);
                }
                if (tag.group(1).isEmpty()) {
                    open.push(tag.group(2));
                } else if (open.isEmpty() || !open.pop().equals(tag.group(2))) {
                    throw new IllegalArgumentException(
                            "can't parse entities: unmatched end tag at byte offset " + i);
                }
                i = tag.end();
            } else if (c == '&') {
                Matcher entity = ENTITY.matcher(html).region(i, html.length());
                if (!entity.lookingAt()) {
                    throw new IllegalArgumentException(
                            "can't parse entities: character entity expected at byte offset " + i);
                }
                visible.append('?');
                i = entity.end();
            } else if (c == '>') {
                throw new IllegalArgumentException("can't parse entities: unexpected '>' at byte offset " + i);
            } else {
                visible.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("can't parse entities: can't find end tag corresponding to start tag "
                    + open.peek());
        }
        return visible.toString();
    }
}
