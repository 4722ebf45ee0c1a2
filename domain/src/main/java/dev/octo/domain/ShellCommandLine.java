package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A POSIX shell command line read far enough to know which words are the programs it runs: the
 * simple commands between {@code ; & && || |}, newlines and parentheses, and inside {@code $(...)}
 * and backquotes, with quotes, escapes, leading {@code NAME=value} assignments, redirections and
 * prefix words such as {@code time}, {@code exec} or {@code env} taken into account. Every word keeps
 * where it stands in the original text, so a rule can insert text after a word and leave the rest of
 * the line exactly as written. The body of a here-document ({@code <<EOF} ... {@code EOF}) is text,
 * not commands.
 *
 * <p>It does not run or expand anything; a program named through a variable or inside the string
 * argument of {@code sh -c} is not seen.
 */
public final class ShellCommandLine {

    /** Words that may stand before the program without being it. */
    private static final Set<String> RESERVED = Set.of(
            "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time");
    private static final Set<String> PREFIX_COMMANDS = Set.of(
            "exec", "nohup", "command", "builtin", "env", "sudo", "timeout");
    /** The options of prefix commands that take the next word as their value. */
    private static final Map<String, Set<String>> PREFIX_OPTIONS_WITH_VALUE = Map.of(
            "timeout", Set.of("-s", "--signal", "-k", "--kill-after"),
            "env", Set.of("-u", "--unset", "-C", "--chdir", "-S", "--split-string"),
            "sudo", Set.of("-u", "--user", "-g", "--group", "-h", "--host", "-p", "--prompt", "-C",
                    "--close-from", "-D", "--chdir", "-r", "--role", "-t", "--type", "-U", "--other-user",
                    "-T", "--command-timeout"),
            "exec", Set.of("-a"));

    /**
     * A word of the line.
     *
     * @param text the word with quotes and escapes removed
     * @param start where the word starts in the original line
     * @param end where it ends (exclusive)
     */
    public record Word(String text, int start, int end) {
        public Word {
            requireNonNull(text, "text is null");
        }

        /** The last path element of the word: {@code claude} for {@code /usr/local/bin/claude}. */
        public String baseName() {
            int slash = text.lastIndexOf('/');
            return slash < 0 ? text : text.substring(slash + 1);
        }
    }

    /**
     * One simple command.
     *
     * @param program the word that names the program run, after assignments and prefix words
     * @param arguments the words after it (redirection targets left out)
     */
    public record SimpleCommand(Word program, List<Word> arguments) {
        public SimpleCommand {
            requireNonNull(program, "program is null");
            arguments = List.copyOf(arguments);
        }

        public boolean hasArgument(String text) {
            return arguments.stream().anyMatch(word -> word.text().equals(text));
        }
    }

    private final String line;
    private final List<SimpleCommand> commands;

    private ShellCommandLine(String line, List<SimpleCommand> commands) {
        this.line = line;
        this.commands = List.copyOf(commands);
    }

    public static ShellCommandLine parse(String line) {
        requireNonNull(line, "line is null");
        Parser parser = new Parser(line);
        parser.parseCommands(0, Parser.END_OF_LINE);
        return new ShellCommandLine(line, parser.commands);
    }

    public String line() {
        return line;
    }

    /** The simple commands in the order their program words appear. */
    public List<SimpleCommand> commands() {
        return commands;
    }

    private static final class Parser {
        static final int END_OF_LINE = -1;

        private final String text;
        private final List<SimpleCommand> commands = new ArrayList<>();
        /** Here-documents whose bodies start after the next newline. */
        private final List<HereDocument> hereDocuments = new ArrayList<>();
        private boolean delimiterExpected;
        private boolean delimiterStripsTabs;

        private record HereDocument(String delimiter, boolean stripsTabs) {
        }

        Parser(String text) {
            this.text = text;
        }

        /**
         * Reads commands from {@code pos} until {@code closer} (')' or '`') at nesting level zero, or
         * the end of the text; returns the position just after the closer.
         */
        int parseCommands(int pos, int closer) {
            List<Word> words = new ArrayList<>();
            boolean nextIsRedirectTarget = false;
            StringBuilder word = null;
            int wordStart = -1;
            int i = pos;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (closer != END_OF_LINE && c == closer) {
                    if (word != null) {
                        nextIsRedirectTarget = addWord(words, word, wordStart, i, nextIsRedirectTarget);
                    }
                    finishCommand(words);
                    return i + 1;
                }
                switch (c) {
                    case ' ', '\t' -> {
                        if (word != null) {
                            nextIsRedirectTarget = addWord(words, word, wordStart, i, nextIsRedirectTarget);
                            word = null;
                        }
                        i++;
                    }
                    case '\n', ';', '&', '|', '(', ')' -> {
                        if (word != null) {
                            nextIsRedirectTarget = addWord(words, word, wordStart, i, nextIsRedirectTarget);
                            word = null;
                        }
                        if (c == '&' && i + 1 < text.length() && text.charAt(i + 1) == '>') {
                            // &> file: a redirection of both streams, not a separator; the command goes on
                            i += 2;
                            if (i < text.length() && text.charAt(i) == '>') {
                                i++;
                            }
                            nextIsRedirectTarget = true;
                        } else {
                            finishCommand(words);
                            words = new ArrayList<>();
                            nextIsRedirectTarget = false;
                            delimiterExpected = false;
                            i = c == '\n' ? skipHereDocuments(i + 1) : i + 1;
                        }
                    }
                    case '<', '>' -> {
                        if (word != null && isDigits(word) && text.charAt(i - 1) != '"'
                                && text.charAt(i - 1) != '\'') {
                            word = null; // the file descriptor of a redirection, as in 2>
                        } else if (word != null) {
                            nextIsRedirectTarget = addWord(words, word, wordStart, i, nextIsRedirectTarget);
                            word = null;
                        }
                        int operatorStart = i;
                        i++;
                        while (i < text.length() && "<>&|".indexOf(text.charAt(i)) >= 0) {
                            i++;
                        }
                        if (text.startsWith("<<", operatorStart) && i - operatorStart == 2) {
                            // a here-document; <<- strips leading tabs from its lines
                            delimiterStripsTabs = i < text.length() && text.charAt(i) == '-';
                            if (delimiterStripsTabs) {
                                i++;
                            }
                            delimiterExpected = true;
                        }
                        nextIsRedirectTarget = true;
                    }
                    case '#' -> {
                        if (word == null) {
                            while (i < text.length() && text.charAt(i) != '\n') {
                                i++;
                            }
                        } else {
                            word.append(c);
                            i++;
                        }
                    }
                    default -> {
                        if (word == null) {
                            word = new StringBuilder();
                            wordStart = i;
                        }
                        i = readWordPart(i, word);
                    }
                }
            }
            if (word != null) {
                addWord(words, word, wordStart, i, nextIsRedirectTarget);
            }
            finishCommand(words);
            return i;
        }

        /** Reads one piece of a word starting at {@code i}; returns the position after it. */
        private int readWordPart(int i, StringBuilder word) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < text.length()) {
                        word.append(text.charAt(i + 1));
                        return i + 2;
                    }
                    return i + 1;
                }
                case '\'' -> {
                    int close = text.indexOf('\'', i + 1);
                    int end = close < 0 ? text.length() : close;
                    word.append(text, i + 1, end);
                    return close < 0 ? end : close + 1;
                }
                case '"' -> {
                    return readDoubleQuoted(i + 1, word);
                }
                case '`' -> {
                    int after = parseCommands(i + 1, '`');
                    word.append(text, i, Math.min(after, text.length()));
                    return after;
                }
                case '$' -> {
                    return readDollar(i, word);
                }
                default -> {
                    word.append(c);
                    return i + 1;
                }
            }
        }

        private int readDoubleQuoted(int i, StringBuilder word) {
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '"') {
                    return i + 1;
                }
                if (c == '\\' && i + 1 < text.length()) {
                    word.append(text.charAt(i + 1));
                    i += 2;
                } else if (c == '`') {
                    int after = parseCommands(i + 1, '`');
                    word.append(text, i, Math.min(after, text.length()));
                    i = after;
                } else if (c == '$') {
                    i = readDollar(i, word);
                } else {
                    word.append(c);
                    i++;
                }
            }
            return i;
        }

        /** {@code $(...)} holds commands; {@code $((...))} and {@code ${...}} only text. */
        private int readDollar(int i, StringBuilder word) {
            if (text.startsWith("$((", i)) {
                int close = text.indexOf("))", i + 3);
                int end = close < 0 ? text.length() : close + 2;
                word.append(text, i, end);
                return end;
            }
            if (text.startsWith("$(", i)) {
                int after = parseCommands(i + 2, ')');
                word.append(text, i, Math.min(after, text.length()));
                return after;
            }
            if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                int end = close < 0 ? text.length() : close + 1;
                word.append(text, i, end);
                return end;
            }
            word.append('$');
            return i + 1;
        }

        private static boolean isDigits(StringBuilder word) {
            if (word.isEmpty()) {
                return false;
            }
            for (int k = 0; k < word.length(); k++) {
                if (!Character.isDigit(word.charAt(k))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Adds a word unless it is a redirection target (a here-document's delimiter is remembered);
         * returns whether the next one is.
         */
        private boolean addWord(List<Word> words, StringBuilder word, int start, int end,
                boolean isRedirectTarget) {
            if (!isRedirectTarget) {
                words.add(new Word(word.toString(), start, end));
            } else if (delimiterExpected) {
                hereDocuments.add(new HereDocument(word.toString(), delimiterStripsTabs));
            }
            delimiterExpected = false;
            return false;
        }

        /**
         * Skips the bodies of the pending here-documents, which start at {@code pos}, the line after
         * their operators; returns where the commands go on.
         */
        private int skipHereDocuments(int pos) {
            int i = pos;
            for (HereDocument document : hereDocuments) {
                while (i < text.length()) {
                    int newline = text.indexOf('\n', i);
                    int lineEnd = newline < 0 ? text.length() : newline;
                    String line = text.substring(i, lineEnd);
                    i = newline < 0 ? text.length() : newline + 1;
                    if (document.stripsTabs()) {
                        line = line.replaceFirst("^\t+", "");
                    }
                    if (line.equals(document.delimiter())) {
                        break;
                    }
                }
            }
            hereDocuments.clear();
            return i;
        }

        private void finishCommand(List<Word> words) {
            int k = 0;
            int prefixAt = -1;
            boolean durationExpected = false;
            while (k < words.size()) {
                String w = words.get(k).text();
                if (PREFIX_COMMANDS.contains(w)) {
                    prefixAt = k;
                    durationExpected = durationExpected || w.equals("timeout");
                    k++;
                } else if (prefixAt >= 0 && w.startsWith("-")) {
                    String prefix = words.get(prefixAt).text();
                    if (prefix.equals("command") && (w.equals("-v") || w.equals("-V"))) {
                        // command -v NAME looks NAME up without running it: the program is command
                        k = prefixAt;
                        break;
                    }
                    boolean takesValue = PREFIX_OPTIONS_WITH_VALUE.getOrDefault(prefix, Set.of()).contains(w);
                    k += takesValue ? 2 : 1;
                } else if (isAssignment(w) || RESERVED.contains(w)) {
                    k++;
                } else if (durationExpected) {
                    durationExpected = false; // timeout's DURATION argument
                    k++;
                } else {
                    break;
                }
            }
            if (k < words.size()) {
                commands.add(new SimpleCommand(words.get(k), words.subList(k + 1, words.size())));
            }
        }

        private static boolean isAssignment(String word) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                return false;
            }
            for (int k = 0; k < eq; k++) {
                char c = word.charAt(k);
                boolean ok = c == '_' || Character.isLetter(c) || (k > 0 && Character.isDigit(c));
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
