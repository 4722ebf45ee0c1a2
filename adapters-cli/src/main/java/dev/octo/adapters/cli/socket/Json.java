package dev.octo.adapters.cli.socket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the socket protocol needs, written and read by hand: flat objects of strings,
 * numbers, booleans and arrays. Jackson stays in the persistence adapter (an architecture rule);
 * a protocol of a dozen fields does not justify widening that rule to a front end.
 *
 * <p>Reading yields {@link Map} (insertion-ordered), {@link List}, {@link String}, {@link Long} or
 * {@link Double}, {@link Boolean} and {@code null}. Malformed text throws {@link IllegalArgumentException}.
 */
final class Json {

    /** Nesting deeper than this is refused, so that a hostile line cannot exhaust the stack. */
    private static final int MAX_DEPTH = 32;

    private Json() {
    }

    /** {@code text} as a JSON string literal, quotes included; control characters escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // U+2028 and U+2029 end lines in some readers; escaping them keeps one message one line
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code value} (as {@link #parse} yields) written as JSON on one line. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String text -> out.append(quote(text));
            case Boolean bool -> out.append(bool);
            case Long number -> out.append(number);
            case Integer number -> out.append(number);
            case Double number -> out.append(number);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    out.append(quote(String.valueOf(entry.getKey()))).append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, list.get(i));
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** The JSON object in {@code text}; anything else, or trailing text, is refused. */
    static Map<String, Object> parseObject(String text) {
        Parser parser = new Parser(text);
        parser.skipBlanks();
        if (parser.peek() != '{') {
            throw new IllegalArgumentException("expected a JSON object");
        }
        Object value = parser.value(0);
        parser.skipBlanks();
        if (parser.position < text.length()) {
            throw new IllegalArgumentException("unexpected text after the object at " + parser.position);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        char peek() {
            return position < text.length() ? text.charAt(position) : '\0';
        }

        void skipBlanks() {
            while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("nested too deep");
            }
            skipBlanks();
            char c = peek();
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw new IllegalArgumentException("unexpected " + (c == '\0' ? "end" : "'" + c + "'")
                            + " at " + position);
                }
            };
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> object = new LinkedHashMap<>();
            position++;
            skipBlanks();
            if (peek() == '}') {
                position++;
                return object;
            }
            while (true) {
                skipBlanks();
                if (peek() != '"') {
                    throw new IllegalArgumentException("expected a name at " + position);
                }
                String name = string();
                skipBlanks();
                expect(':');
                object.put(name, value(depth + 1));
                skipBlanks();
                if (peek() == ',') {
                    position++;
                } else {
                    expect('}');
                    return object;
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> array = new ArrayList<>();
            position++;
            skipBlanks();
            if (peek() == ']') {
                position++;
                return array;
            }
            while (true) {
                array.add(value(depth + 1));
                skipBlanks();
                if (peek() == ',') {
                    position++;
                } else {
                    expect(']');
                    return array;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (position >= text.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = text.charAt(position++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a string at " + (position - 1));
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (position >= text.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("bad \\u escape at " + position);
                        }
                        position += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + escaped);
                }
            }
        }

        private Object number() {
            int start = position;
            while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
            String digits = text.substring(start, position);
            try {
                if (digits.contains(".") || digits.contains("e") || digits.contains("E")) {
                    return Double.parseDouble(digits);
                }
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number " + digits);
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, position)) {
                throw new IllegalArgumentException("unexpected text at " + position);
            }
            position += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + position);
            }
            position++;
        }
    }
}
