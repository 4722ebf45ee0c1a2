package dev.octo.adapters.telegram;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.octo.application.port.in.CommandCatalogue.Command;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import java.util.Arrays;
import java.util.Optional;

/**
 * A button under a message about a task. Its callback data is a short code and the task id
 * ({@code "c:abcd1234"}), well within Telegram's 64 bytes; pressing it does what typing its command
 * does.
 */
enum TaskButton {
    SHOW("Show", "s", Optional.empty()),
    LOG("Log", "l", Optional.of(TaskSubcommand.LOG)),
    CANCEL("Cancel", "c", Optional.of(TaskSubcommand.CANCEL)),
    RETRY("Retry", "r", Optional.of(TaskSubcommand.RETRY));

    /** Telegram's limit on a button's callback data. */
    static final int MAX_DATA_BYTES = 64;

    private final String label;
    private final String code;
    private final Optional<TaskSubcommand> subcommand;

    TaskButton(String label, String code, Optional<TaskSubcommand> subcommand) {
        this.label = label;
        this.code = code;
        this.subcommand = subcommand;
    }

    /** A button of this kind for task {@code taskId}; empty when its data would not fit in 64 bytes. */
    Optional<Button> forTask(String taskId) {
        String data = code + ":" + taskId;
        return data.getBytes(UTF_8).length <= MAX_DATA_BYTES ? Optional.of(new Button(label, data)) : Optional.empty();
    }

    /** The command a press of this button stands for, such as {@code /task abcd1234 cancel}. */
    String command(String taskId) {
        String show = Command.TASK.word() + " " + taskId;
        return subcommand.map(sub -> show + " " + sub.word()).orElse(show);
    }

    /** The button {@code data} came from, with its task id; empty for data this bot never sent. */
    static Optional<Pressed> parse(String data) {
        if (data == null) {
            return Optional.empty();
        }
        int colon = data.indexOf(':');
        if (colon < 0 || colon == data.length() - 1) {
            return Optional.empty();
        }
        String code = data.substring(0, colon);
        String taskId = data.substring(colon + 1);
        if (!taskId.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(button -> button.code.equals(code)).findFirst()
                .map(button -> new Pressed(button, taskId));
    }

    /** A button as sent: what it shows and what it sends back. */
    record Button(String label, String data) {
    }

    /** A press of {@code button} on a message about {@code taskId}. */
    record Pressed(TaskButton button, String taskId) {
        String command() {
            return button.command(taskId);
        }
    }
}
