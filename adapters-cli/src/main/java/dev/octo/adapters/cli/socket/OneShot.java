package dev.octo.adapters.cli.socket;

import static java.util.Objects.requireNonNull;

import dev.octo.adapters.cli.TerminalText;
import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The commands a script runs as {@code octo <command> ...}, one per run: each becomes the input
 * line a person would type, sent through a {@link Link}, and its answer is printed for a script
 * (the task id alone, JSON on request) with an exit code that says how it went.
 */
public final class OneShot {

    /** The first words that make a run a one-shot command. */
    public static final Set<String> COMMANDS = Set.of("bg", "wait", "tasks", "task", "agent");

    static final int EXIT_OK = 0;
    static final int EXIT_REFUSED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CANCELLED = 130;

    public static final String USAGE = String.join("\n",
            "  octo bg [--timeout S] <command>   run a shell command in the background; prints its id",
            "  octo agent <prompt>               give a task to an LLM agent",
            "  octo wait <id>                    wait for a task; exits with its exit code (130 if cancelled)",
            "  octo tasks [all] [status] [--json] list the newest 50 tasks (all: every one)",
            "  octo task <id> [--json]           show one task",
            "  octo task <id> cancel | log [-f]  cancel a task, show (or follow) its output");

    /** The id in the reply to a dispatch: "Dispatched task abcd1234: ...". */
    private static final Pattern DISPATCHED = Pattern.compile("\\btask ([a-z0-9]+)\\b");

    private final PrintStream out;
    private final PrintStream err;

    public OneShot(PrintStream out, PrintStream err) {
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /** Whether {@code arguments} name a one-shot command. */
    public static boolean handles(List<String> arguments) {
        return !arguments.isEmpty() && COMMANDS.contains(arguments.getFirst());
    }

    /** The usage refusal of {@code arguments}, or null when they are well formed. */
    public static String misuse(List<String> arguments) {
        List<String> rest = arguments.subList(1, arguments.size());
        return switch (arguments.getFirst()) {
            case "bg", "agent" -> rest.isEmpty() ? "octo " + arguments.getFirst() + ": nothing to run" : null;
            case "wait" -> rest.size() == 1 ? null : "octo wait: give one task id";
            case "tasks" -> rest.stream().filter(word -> !word.equals("--json")).count() <= 2 ? null
                    : "octo tasks: at most all and one status";
            case "task" -> rest.isEmpty() ? "octo task: give a task id" : null;
            default -> "octo: unknown command " + arguments.getFirst();
        };
    }

    /** Runs the command of {@code arguments} (see {@link #handles}) through {@code link}; returns the exit code. */
    public int run(List<String> arguments, Link link) throws IOException {
        String misuse = misuse(arguments);
        if (misuse != null) {
            err.println(misuse);
            err.println(USAGE);
            return EXIT_USAGE;
        }
        String command = arguments.getFirst();
        List<String> rest = arguments.subList(1, arguments.size());
        boolean json = rest.contains("--json") && !command.equals("bg") && !command.equals("agent");
        List<String> words = json ? rest.stream().filter(word -> !word.equals("--json")).toList() : rest;
        return switch (command) {
            case "bg", "agent" -> dispatch("/" + command + " " + String.join(" ", words), link);
            case "wait" -> await(words.getFirst(), link);
            case "tasks" -> show(String.join(" ", Stream.concat(Stream.of("/tasks"), words.stream()).toList()), json,
                    "tasks", link);
            default -> {
                int code = show("/task " + String.join(" ", words), json, null, link);
                if (code == EXIT_OK && words.size() == 2 && words.get(1).equals("cancel")) {
                    // returns once the task is cancelled: its process stopped and the status recorded, also
                    // when this run ends the engine right after
                    link.request("/wait " + words.getFirst(), text -> { });
                }
                yield code;
            }
        };
    }

    private int dispatch(String line, Link link) throws IOException {
        ServerMessage reply = link.request(line, this::print);
        if (refused(reply)) {
            return EXIT_REFUSED;
        }
        Matcher id = DISPATCHED.matcher(reply.text());
        if (!id.find()) {
            print(reply.text());
            return EXIT_OK;
        }
        out.println(id.group(1));
        return EXIT_OK;
    }

    private int await(String id, Link link) throws IOException {
        ServerMessage waited = link.request("/wait " + id, text -> { });
        if (refused(waited)) {
            return EXIT_REFUSED;
        }
        ServerMessage detail = link.request("/task " + id, text -> { });
        if (refused(detail)) {
            return EXIT_REFUSED;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> task = (Map<String, Object>) detail.fields().get("task");
        String status = task == null ? "" : String.valueOf(task.get("status"));
        Object exit = detail.fields().get("exit");
        return switch (status) {
            case "completed" -> EXIT_OK;
            case "cancelled" -> EXIT_CANCELLED;
            case "failed" -> exit instanceof Long code && code != 0 ? (int) (long) code : EXIT_REFUSED;
            default -> {
                // a paused task waits for an answer: the script is told what it asks
                print(waited.text());
                yield EXIT_REFUSED;
            }
        };
    }

    private int show(String line, boolean json, String listField, Link link) throws IOException {
        ServerMessage reply = link.request(line, this::print);
        if (refused(reply)) {
            return EXIT_REFUSED;
        }
        if (!json) {
            if (!reply.text().isEmpty()) {
                print(reply.text());
            }
            return EXIT_OK;
        }
        if (listField != null) {
            Object rows = reply.fields().get(listField);
            out.println(Json.write(rows == null ? List.of() : rows));
        } else {
            Map<String, Object> fields = new LinkedHashMap<>(reply.fields());
            fields.remove("type");
            out.println(Json.write(fields));
        }
        return EXIT_OK;
    }

    private boolean refused(ServerMessage reply) {
        if (reply.type().equals("error") || reply.field("reply").equals("error")) {
            err.println(TerminalText.neutralize(reply.text()));
            return true;
        }
        return false;
    }

    private void print(String text) {
        out.println(TerminalText.neutralize(text));
        out.flush();
    }
}
