package dev.octo.adapters.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MessageSplitterTest {

    private static final Pattern TAG = Pattern.compile("<(/?)([a-z]+)[^>]*>");

    @Test
    void aShortMessageStaysWhole() {
        assertThat(MessageSplitter.split("<b>hi</b> &amp; bye")).containsExactly("<b>hi</b> &amp; bye");
    }

    @Test
    void aLongMessageIsCutAfterALine() {
        String line = "x".repeat(30);
        String text = String.join("\n", List.of(line, line, line, line));

        List<String> chunks = MessageSplitter.split(text, 70);

        assertThat(chunks).containsExactly(line + "\n" + line, line + "\n" + line);
    }

    @Test
    void aTagOpenAtACutIsClosedAndOpenedAgain() {
        String text = "<pre>" + "a\n".repeat(20) + "</pre>";

        List<String> chunks = MessageSplitter.split(text, 20);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk).startsWith("<pre>").endsWith("</pre>");
            assertThat(chunk.length()).isLessThanOrEqualTo(20);
        });
    }

    @Test
    void aLineLongerThanAMessageIsCutBetweenEntities() {
        String text = "&lt;&amp;".repeat(100);

        List<String> chunks = MessageSplitter.split(text, 64);

        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.length()).isLessThanOrEqualTo(64);
            assertThat(chunk).matches("(&lt;|&amp;)+");
        });
        assertThat(String.join("", chunks)).isEqualTo(text);
    }

    @Test
    void randomMarkupIsCutIntoValidChunksThatKeepEveryCharacter() {
        long seed = 7_400_311L;
        System.out.println("seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            StringBuilder plain = new StringBuilder();
            StringBuilder html = new StringBuilder();
            int lines = 1 + random.nextInt(80);
            for (int l = 0; l < lines; l++) {
                String text = randomText(random, random.nextInt(120));
                plain.append(text);
                switch (random.nextInt(4)) {
                    case 0 -> html.append("<b>").append(Html.escape(text)).append("</b>");
                    case 1 -> html.append("<i>").append(Html.escape(text)).append("</i>");
                    default -> html.append(Html.escape(text));
                }
                if (l < lines - 1) {
                    plain.append('\n');
                    html.append('\n');
                }
            }
            String whole = random.nextBoolean() ? "<pre>" + html + "</pre>" : html.toString();
            int limit = 40 + random.nextInt(400);

            List<String> chunks = MessageSplitter.split(whole, limit);

            String rejoined = String.join("\n", chunks.stream().map(Html::toPlain).toList());
            for (String chunk : chunks) {
                assertThat(chunk.length()).as("round %d", round).isLessThanOrEqualTo(limit);
                assertBalanced(chunk);
            }
            // a cut drops at most the newline it was made at, or joins two parts of one line
            assertThat(rejoined.replace("\n", "")).as("round %d", round).isEqualTo(plain.toString().replace("\n", ""));
        }
    }

    private static String randomText(Random random, int length) {
        String alphabet = "<>&*_ab cd\"'`é😀";
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int at = random.nextInt(alphabet.length() - 1);
            if (Character.isHighSurrogate(alphabet.charAt(at))) {
                text.append(alphabet, at, at + 2);
            } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                text.append(alphabet.charAt(at));
            }
        }
        return text.toString().strip();
    }

    private static void assertBalanced(String chunk) {
        Deque<String> open = new ArrayDeque<>();
        Matcher tag = TAG.matcher(chunk);
        while (tag.find()) {
            if (tag.group(1).isEmpty()) {
                open.push(tag.group(2));
            } else {
                assertThat(open.pop()).isEqualTo(tag.group(2));
            }
        }
        assertThat(open).as("tags left open in %s", chunk).isEmpty();
        String withoutTags = chunk.replaceAll("<[^>]*>", "");
        assertThat(withoutTags.replaceAll("&(lt|gt|amp);", "")).doesNotContain("<", ">", "&");
    }
}
