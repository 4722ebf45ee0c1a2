package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import dev.octo.adapters.telegram.BotState.Route;
import dev.octo.application.port.in.CommandCatalogue;
import dev.octo.application.port.in.CommandCatalogue.Command;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.in.TaskQueries.Resolution;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.messageorigin.MessageOriginUser;

/**
 * Handles one update from Telegram: a message or a button press. Nobody but the owner and the users
 * the owner authorized gets anything but "Not authorized": no command runs, nothing reaches the
 * supervisor and no word about a task is sent. Commands and free text go through the same
 * interpreter as the terminal's; a reply to a message about a task answers the task (paused) or
 * follows up on it (finished); {@code /authorize} and {@code /revoke} are the owner's.
 */
final class TelegramUpdateHandler {

    private static final System.Logger LOG = System.getLogger(TelegramUpdateHandler.class.getName());

    static final String NOT_AUTHORIZED = "Not authorized.";
    static final String AUTHORIZE = "/authorize";
    static final String REVOKE = "/revoke";
    /** A log larger than this goes as a file: as text it would be several messages. */
    static final long LARGEST_LOG_IN_A_MESSAGE = 3_000;
    /** Telegram's limit on a file a bot sends; of a larger log, its end is sent. */
    static final long LARGEST_DOCUMENT = 50L * 1024 * 1024;
    /** Telegram shows "typing" for about five seconds; it is sent again before that. */
    private static final Duration TYPING_REFRESH = Duration.ofSeconds(4);

    private final InterpretCommandUseCase commands;
    private final ResumeTaskUseCase resume;
    private final FollowUpTaskUseCase followUp;
    private final TaskQueries queries;
    private final AuthorizedUsers users;
    private final BotState state;
    private final Outbox outbox;
    private final BotApi api;
    private final Clock clock;
    private final Duration maxUpdateAge;
    private final ScheduledExecutorService typing;

    TelegramUpdateHandler(InterpretCommandUseCase commands, ResumeTaskUseCase resume, FollowUpTaskUseCase followUp,
            TaskQueries queries, AuthorizedUsers users, BotState state, Outbox outbox, BotApi api, Clock clock,
            Duration maxUpdateAge, ScheduledExecutorService typing) {
        this.commands = requireNonNull(commands, "commands is null");
        this.resume = requireNonNull(resume, "resume is null");
        this.followUp = requireNonNull(followUp, "followUp is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.users = requireNonNull(users, "users is null");
        this.state = requireNonNull(state, "state is null");
        this.outbox = requireNonNull(outbox, "outbox is null");
        this.api = requireNonNull(api, "api is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.maxUpdateAge = requireNonNull(maxUpdateAge, "maxUpdateAge is null");
        this.typing = requireNonNull(typing, "typing is null");
    }

    static String channel(long chatId) {
        return "telegram:" + chatId;
    }

    void handle(Update update) {
        if (update.hasMessage()) {
            message(update.getMessage());
        } else if (update.hasCallbackQuery()) {
            buttonPressed(update.getCallbackQuery());
        }
        // other updates (edits, joins, ...) are not asked for and mean nothing to Octo
    }

    private void message(Message message) {
        User from = message.getFrom();
        if (from == null || !message.hasText()) {
            return;
        }
        long chat = message.getChatId();
        if (message.getDate() != null) {
            Instant sent = Instant.ofEpochSecond(message.getDate());
            if (sent.isBefore(clock.instant().minus(maxUpdateAge))) {
                LOG.log(System.Logger.Level.INFO, "A message of {0} sent at {1} is skipped: older than {2}",
                        from.getId(), sent, maxUpdateAge);
                return;
            }
        }
        if (!users.isAuthorized(from.getId())) {
            LOG.log(System.Logger.Level.INFO, "A message of user {0}, who is not authorized, is refused", from.getId());
            outbox.send(chat, Outgoing.Text.plain(NOT_AUTHORIZED));
            return;
        }
        String text = withoutBotName(message.getText().strip());
        String word = firstWord(text).toLowerCase(Locale.ROOT);
        if (word.equals(AUTHORIZE) || word.equals(REVOKE)) {
            authorization(chat, from, word, text.substring(word.length()).strip(), message.getReplyToMessage());
            return;
        }
        Message repliedTo = message.getReplyToMessage();
        if (repliedTo != null && !text.startsWith("/")) {
            Optional<Route> route = state.routeOf(chat, repliedTo.getMessageId());
            if (route.isPresent()) {
                answer(chat, route.get(), message.getText().strip());
                return;
            }
        }
        command(chat, text);
    }

    private void buttonPressed(CallbackQuery query) {
        User from = query.getFrom();
        if (from == null) {
            return;
        }
        if (!users.isAuthorized(from.getId())) {
            LOG.log(System.Logger.Level.INFO, "A button press of user {0}, who is not authorized, is refused",
                    from.getId());
            answerButton(query.getId(), Optional.of(NOT_AUTHORIZED));
            return;
        }
        Optional<TaskButton.Pressed> pressed = TaskButton.parse(query.getData());
        if (pressed.isEmpty()) {
            answerButton(query.getId(), Optional.of("This button does nothing any more."));
            return;
        }
        answerButton(query.getId(), Optional.empty());
        long chat = query.getMessage() != null && query.getMessage().getChatId() != null
                ? query.getMessage().getChatId() : from.getId();
        command(chat, pressed.get().command());
    }

    /** A command or free text, answered as the terminal answers it. */
    private void command(long chat, String line) {
        if (sentLogAsFiles(chat, line)) {
            return;
        }
        boolean freeText = !line.startsWith("/");
        ScheduledFuture<?> typingAction = freeText ? typing.scheduleAtFixedRate(() -> showTyping(chat), 0,
                TYPING_REFRESH.toMillis(), TimeUnit.MILLISECONDS) : null;
        Reply reply;
        try {
            // a chat cannot hold a wait open: /wait answers at once, the notification comes anyway
            reply = commands.handle(channel(chat), line, Duration.ZERO);
        } finally {
            if (typingAction != null) {
                typingAction.cancel(false);
            }
        }
        if (isLogCommand(line) && reply instanceof Reply.Text text) {
            outbox.send(chat, Outgoing.Text.of("<pre>" + Html.escape(text.text()) + "</pre>"));
        } else {
            outbox.send(chat, TelegramText.reply(reply));
        }
    }

    /** A reply to a message about a task: the answer to its question, or what to do next. */
    private void answer(long chat, Route route, String text) {
        TaskId id = TaskId.of(route.taskId());
        TaskOutcome outcome = switch (route.about()) {
            case QUESTION -> resume.resume(id, text);
            case FINISHED -> followUp.followUp(id, text);
        };
        outbox.send(chat, Outgoing.Text.plain(outcome.message()));
    }

    /**
     * {@code /task <id> log} of a process task whose log is too long for a message: its files go as
     * documents instead, each at most its last 50 MB.
     */
    private boolean sentLogAsFiles(long chat, String line) {
        if (!isLogCommand(line)) {
            return false;
        }
        String[] words = line.split("\\s+");
        if (!(queries.resolve(words[1]) instanceof Resolution.Found found)) {
            return false; // the interpreter says what is wrong with the id
        }
        String id = found.task().id().value();
        List<Path> files = new ArrayList<>();
        long total = 0;
        for (Path file : queries.logFiles(found.task().id())) {
            try {
                long size = Files.isRegularFile(file) ? Files.size(file) : 0;
                if (size > 0) {
                    files.add(file);
                    total += size;
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read the size of " + file, e);
            }
        }
        if (total <= LARGEST_LOG_IN_A_MESSAGE) {
            return false;
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            String caption = "Task " + id + " · " + name;
            try {
                if (Files.size(file) > LARGEST_DOCUMENT) {
                    caption += " (its last 50 MB)";
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read the size of " + file, e);
            }
            outbox.send(chat, new Outgoing.Document(file, name, caption, LARGEST_DOCUMENT));
        }
        return true;
    }

    private static boolean isLogCommand(String line) {
        String[] words = line.strip().split("\\s+");
        return words.length >= 3 && Command.named(words[0]).filter(command -> command == Command.TASK).isPresent()
                && TaskSubcommand.named(words[2]).filter(sub -> sub == TaskSubcommand.LOG).isPresent();
    }

    /** {@code /authorize [user_id [name]]} and {@code /revoke <user_id>}, or either as a reply to the user's message. */
    private void authorization(long chat, User from, String word, String rest, Message repliedTo) {
        if (!users.isOwner(from.getId())) {
            outbox.send(chat, Outgoing.Text.plain("Only the owner can " + word.substring(1) + " users."));
            return;
        }
        Optional<User> target = Optional.ofNullable(repliedTo).flatMap(TelegramUpdateHandler::userOf);
        String name;
        long id;
        if (rest.isEmpty() && target.isPresent()) {
            id = target.get().getId();
            name = nameOf(target.get());
        } else if (rest.isEmpty()) {
            if (word.equals(AUTHORIZE)) {
                outbox.send(chat, Outgoing.Text.plain(authorizedList()));
            } else {
                outbox.send(chat, Outgoing.Text.plain("Usage: " + REVOKE + " <user_id>, or reply " + REVOKE
                        + " to the user's message"));
            }
            return;
        } else {
            String[] parts = rest.split("\\s+", 2);
            try {
                id = Long.parseLong(parts[0]);
            } catch (NumberFormatException e) {
                outbox.send(chat, Outgoing.Text.plain("Usage: " + AUTHORIZE + " <user_id> [name], " + REVOKE
                        + " <user_id>, or either as a reply to the user's message"));
                return;
            }
            name = parts.length > 1 ? parts[1].strip() : "";
        }
        if (users.isOwner(id)) {
            outbox.send(chat, Outgoing.Text.plain("The owner is always authorized."));
            return;
        }
        String who = name.isEmpty() ? "User " + id : name + " (" + id + ")";
        try {
            if (word.equals(AUTHORIZE)) {
                boolean added = users.authorize(id, name, clock.instant());
                outbox.send(chat, Outgoing.Text.plain(added ? who + " is authorized: they can use this bot and are told of every task."
                        : who + " was already authorized."));
            } else {
                boolean removed = users.revoke(id);
                outbox.send(chat, Outgoing.Text.plain(removed ? who + " is no longer authorized."
                        : who + " was not authorized."));
            }
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot save the authorized users", e);
            outbox.send(chat, Outgoing.Text.plain("The authorized users could not be saved: " + e.getCause().getMessage()));
        }
    }

    private String authorizedList() {
        List<AuthorizedUsers.User> list = users.users();
        String owner = "Owner: " + users.ownerId();
        if (list.isEmpty()) {
            return owner + "\nNo other user is authorized. " + AUTHORIZE + " <user_id> [name] adds one.";
        }
        return owner + "\nAuthorized:\n" + list.stream()
                .map(user -> "  " + user.id() + (user.name().isEmpty() ? "" : " " + user.name()) + " (since "
                        + user.since().toString().substring(0, 10) + ")")
                .collect(Collectors.joining("\n"));
    }

    /** Whom a message is from: the sender of a forwarded message, else its author when not a bot. */
    private static Optional<User> userOf(Message message) {
        if (message.getForwardOrigin() instanceof MessageOriginUser origin && origin.getSenderUser() != null) {
            return Optional.of(origin.getSenderUser());
        }
        User author = message.getFrom();
        return author == null || Boolean.TRUE.equals(author.getIsBot()) ? Optional.empty() : Optional.of(author);
    }

    private static String nameOf(User user) {
        String name = ((user.getFirstName() == null ? "" : user.getFirstName()) + " "
                + (user.getLastName() == null ? "" : user.getLastName())).strip();
        if (name.isEmpty() && user.getUserName() != null) {
            name = "@" + user.getUserName();
        }
        return name;
    }

    private void answerButton(String queryId, Optional<String> text) {
        try {
            api.call(AnswerCallbackQuery.builder().callbackQueryId(queryId).text(text.orElse(null)).build());
        } catch (CallFailure failure) {
            // the user's app stops its spinner on its own after a while
            LOG.log(System.Logger.Level.WARNING, "cannot answer a button press: {0}", failure.getMessage());
        }
    }

    private void showTyping(long chat) {
        try {
            api.call(SendChatAction.builder().chatId(chat).action("typing").build());
        } catch (CallFailure failure) {
            LOG.log(System.Logger.Level.DEBUG, "cannot show typing: {0}", failure.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot show typing", e);
        }
    }

    /** In a group Telegram writes {@code /tasks@OctoBot}: the command is {@code /tasks}. */
    private static String withoutBotName(String text) {
        if (!text.startsWith("/")) {
            return text;
        }
        int end = firstWord(text).length();
        int at = text.indexOf('@');
        return at > 0 && at < end ? text.substring(0, at) + text.substring(end) : text;
    }

    private static String firstWord(String text) {
        int blank = 0;
        while (blank < text.length() && !Character.isWhitespace(text.charAt(blank))) {
            blank++;
        }
        return text.substring(0, blank);
    }

    /** The command menu: every command of the catalogue but leaving, which means nothing in a chat. */
    static List<BotCommand> menu(boolean forOwner) {
        List<BotCommand> menu = new ArrayList<>();
        for (Command command : CommandCatalogue.Command.values()) {
            if (command != Command.EXIT) {
                menu.add(new BotCommand(
                        command.word().substring(1), command.help()));
            }
        }
        if (forOwner) {
            menu.add(new BotCommand(AUTHORIZE.substring(1),
                    "authorize a user, or list who is"));
            menu.add(new BotCommand(REVOKE.substring(1),
                    "take a user's authorization back"));
        }
        return menu;
    }
}
