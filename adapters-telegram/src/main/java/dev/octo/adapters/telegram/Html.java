package dev.octo.adapters.telegram;

/**
 * Telegram's HTML parse mode: what a user, a task or a model wrote is escaped before it goes into a
 * message, so that no output can open a tag or an entity of its own.
 */
final class Html {

    private Html() {
    }

    /** {@code text} with the three characters Telegram's HTML gives a meaning escaped. */
    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String entity = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                default -> null;
            };
            if (entity != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                if (entity != null) {
                    escaped.append(entity);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    static String bold(String text) {
        return "<b>" + escape(text) + "</b>";
    }

    static String code(String text) {
        return "<code>" + escape(text) + "</code>";
    }

    static String italic(String text) {
        return "<i>" + escape(text) + "</i>";
    }

    /**
     * The text a reader sees of {@code html}: tags dropped, entities decoded. What is sent without a
     * parse mode when Telegram refused the markup of a message.
     */
    static String toPlain(String html) {
        StringBuilder plain = new StringBuilder(html.length());
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i);
                i = end < 0 ? html.length() : end + 1;
            } else if (c == '&') {
                int end = html.indexOf(';', i);
                String entity = end < 0 ? "" : html.substring(i, end + 1);
                String decoded = switch (entity) {
                    case "&lt;" -> "<";
                    case "&gt;" -> ">";
                    case "&amp;" -> "&";
                    case "&quot;" -> "\"";
                    default -> null;
                };
                if (decoded == null) {
                    plain.append(c);
                    i++;
                } else {
                    plain.append(decoded);
                    i = end + 1;
                }
            } else {
                plain.append(c);
                i++;
            }
        }
        return plain.toString();
    }
}
