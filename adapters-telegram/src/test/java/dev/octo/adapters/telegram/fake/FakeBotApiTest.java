package dev.octo.adapters.telegram.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octo.application.fakes.Eventually;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.longpolling.util.DefaultGetUpdatesGenerator;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageReplyMarkup;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;
import org.telegram.telegrambots.meta.api.objects.ReplyParameters;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/** The fake answers the real TelegramBots client and long-polling application as Telegram would. */
class FakeBotApiTest {

    private static final String TOKEN = "123456:fake-token";
    private static final long OWNER = 42L;

    private final FakeBotApi fake = FakeBotApi.start(TOKEN);
    private final OkHttpTelegramClient client = clientWith(TOKEN);

    @AfterEach
    void stopTheFake() {
        fake.close();
    }

    @Test
    void aMessageWithButtonsIsRecordedForItsChat() throws Exception {
        Message sent = client.execute(SendMessage.builder()
                .chatId(OWNER)
                .text("<b>a1b2c3d4</b> completed: 1 &lt; 2")
                .parseMode("HTML")
                .replyMarkup(keyboard("Show", "show:a1b2c3d4", "Retry", "retry:a1b2c3d4"))
                .build());

        assertThat(sent.getMessageId()).isPositive();
        assertThat(sent.getChatId()).isEqualTo(OWNER);
        SentMessage recorded = fake.messagesTo(OWNER).getFirst();
        assertThat(recorded.messageId()).isEqualTo(sent.getMessageId());
        assertThat(recorded.text()).isEqualTo("<b>a1b2c3d4</b> completed: 1 &lt; 2");
        assertThat(recorded.parseMode()).isEqualTo("HTML");
        assertThat(recorded.allButtons()).containsExactly(
                new Button("Show", "show:a1b2c3d4"), new Button("Retry", "retry:a1b2c3d4"));
        assertThat(client.execute(new GetMe()).getUserName()).isEqualTo(FakeBotApi.BOT_USERNAME);
    }

    @Test
    void editsReplaceTheTextAndTheButtonsOfTheSentMessage() throws Exception {
        Message sent = client.execute(SendMessage.builder().chatId(OWNER).text("running")
                .replyMarkup(keyboard("Cancel", "cancel:a1", "Show", "show:a1")).build());

        client.execute(EditMessageText.builder().chatId(OWNER).messageId(sent.getMessageId())
                .text("cancelled").parseMode("HTML").build());
        client.execute(EditMessageReplyMarkup.builder().chatId(OWNER).messageId(sent.getMessageId())
                .replyMarkup(keyboard("Show", "show:a1")).build());

        SentMessage now = fake.messagesTo(OWNER).getFirst();
        assertThat(now.text()).isEqualTo("cancelled");
        assertThat(now.allButtons()).containsExactly(new Button("Show", "show:a1"));
        assertThatThrownBy(() -> client.execute(EditMessageText.builder().chatId(OWNER)
                        .messageId(sent.getMessageId()).text("cancelled").parseMode("HTML")
                        .replyMarkup(keyboard("Show", "show:a1")).build()))
                .hasMessageContaining("message is not modified");
    }

    @Test
    void aDocumentArrivesWithItsNameAndBytes() throws Exception {
        client.execute(SendDocument.builder()
                .chatId(OWNER)
                .document(new InputFile(new ByteArrayInputStream("line 1\nline 2\n".getBytes(StandardCharsets.UTF_8)),
                        "a1b2c3d4.out.log"))
                .caption("the log of <code>a1b2c3d4</code>")
                .parseMode("HTML")
                .replyParameters(ReplyParameters.builder().messageId(7).build())
                .build());

        SentMessage recorded = fake.messagesTo(OWNER).getFirst();
        assertThat(recorded.document().fileName()).isEqualTo("a1b2c3d4.out.log");
        assertThat(recorded.document().contentAsText()).isEqualTo("line 1\nline 2\n");
        assertThat(recorded.text()).isEqualTo("the log of <code>a1b2c3d4</code>");
        assertThat(recorded.replyToMessageId()).isEqualTo(7);
    }

    @Test
    void chatActionsCommandsAndCallbackAnswersAreRecorded() throws Exception {
        client.execute(SendChatAction.builder().chatId(OWNER).action("typing").build());
        client.execute(SetMyCommands.builder()
                .command(new BotCommand("bg", "run a shell command as a task"))
                .command(new BotCommand("tasks", "list tasks"))
                .build());
        client.execute(AnswerCallbackQuery.builder().callbackQueryId("query-9").text("Cancelled").build());

        assertThat(fake.chatActions(OWNER)).containsExactly("typing");
        assertThat(fake.commands()).containsOnlyKeys("bg", "tasks");
        assertThat(fake.callbackAnswers()).containsEntry("query-9", "Cancelled");
    }

    @Test
    void textTelegramCouldNotParseOrThatIsTooLongIsRefusedWith400() {
        assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(OWNER)
                        .text("output: a < b & c").parseMode("HTML").build()))
                .isInstanceOfSatisfying(TelegramApiRequestException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(400))
                .hasMessageContaining("can't parse entities");
        assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(OWNER)
                        .text("<b>" + "x".repeat(FakeBotApi.MAX_TEXT_LENGTH + 1) + "</b>").parseMode("HTML").build()))
                .hasMessageContaining("message is too long");
        assertThat(fake.messagesTo(OWNER)).isEmpty();
    }

    @Test
    void scriptedFailuresComeFirstAndThenTheMethodWorksAgain() throws Exception {
        fake.failNext("sendMessage", 2, 502);
        fake.rateLimitNext("sendMessage", 3);
        SendMessage hello = SendMessage.builder().chatId(OWNER).text("hello").build();

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> client.execute(hello))
                    .isInstanceOfSatisfying(TelegramApiRequestException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(502));
        }
        assertThatThrownBy(() -> client.execute(hello))
                .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(429);
                    assertThat(e.getParameters().getRetryAfter()).isEqualTo(3);
                });
        client.execute(hello);

        assertThat(fake.messagesTo(OWNER)).extracting(SentMessage::text).containsExactly("hello");
        assertThat(fake.attempts("sendMessage")).isEqualTo(4);
    }

    @Test
    void aWrongTokenIsUnauthorized() {
        assertThatThrownBy(() -> clientWith("123456:wrong").execute(new GetMe()))
                .isInstanceOfSatisfying(TelegramApiRequestException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(401));
    }

    @Test
    void theLongPollingApplicationReceivesMessagesRepliesAndButtonPressesOnce() throws Exception {
        Message notification = client.execute(SendMessage.builder().chatId(OWNER).text("a1 completed")
                .replyMarkup(keyboard("Show", "show:a1")).build());
        List<Update> received = new CopyOnWriteArrayList<>();
        int first = fake.nextUpdateId();

        try (TelegramBotsLongPollingApplication polling = new TelegramBotsLongPollingApplication()) {
            polling.registerBot(TOKEN, () -> url(), new DefaultGetUpdatesGenerator(), received::addAll);
            fake.pushMessage(UserMessage.text(OWNER, "/bg echo hi"));
            fake.pushMessage(UserMessage.text(OWNER, "now the tests").replyingTo(notification.getMessageId()));
            fake.pushCallback(OWNER, OWNER, notification.getMessageId(), "show:a1");

            Eventually.await("three updates", Duration.ofSeconds(10), () -> received.size() == 3);
            // the next poll's offset confirms them
            Eventually.await("the updates confirmed", Duration.ofSeconds(10), () -> fake.confirmed(first + 2));
        }

        Message command = received.get(0).getMessage();
        // as from Telegram, the entity carries no text: Message.isCommand() is false until getEntities() fills it in
        assertThat(command.getEntities()).singleElement()
                .satisfies(entity -> assertThat(entity.getType()).isEqualTo("bot_command"))
                .satisfies(entity -> assertThat(entity.getText()).isEqualTo("/bg"));
        assertThat(command.isCommand()).isTrue();
        assertThat(command.getText()).isEqualTo("/bg echo hi");
        assertThat(command.getFrom().getId()).isEqualTo(OWNER);
        assertThat(command.getChatId()).isEqualTo(OWNER);
        Message reply = received.get(1).getMessage();
        assertThat(reply.getReplyToMessage().getMessageId()).isEqualTo(notification.getMessageId());
        assertThat(reply.getReplyToMessage().getText()).isEqualTo("a1 completed");
        assertThat(received.get(2).getCallbackQuery().getData()).isEqualTo("show:a1");
        assertThat(received.get(2).getCallbackQuery().getMessage().getMessageId())
                .isEqualTo(notification.getMessageId());
        for (int update = first; update < first + 3; update++) {
            assertThat(fake.deliveries(update)).as("deliveries of update %d", update).isEqualTo(1);
        }
    }

    @Test
    void updatesNotConfirmedArePendingForTheNextPoller() throws Exception {
        int update = fake.nextUpdateId();
        fake.pushMessage(UserMessage.text(OWNER, "/tasks"));

        // a poller that reads without ever confirming, as a bot that stopped before its next poll
        for (int poll = 1; poll <= 2; poll++) {
            List<Update> received = new CopyOnWriteArrayList<>();
            try (TelegramBotsLongPollingApplication polling = new TelegramBotsLongPollingApplication()) {
                polling.registerBot(TOKEN, () -> url(), last -> GetUpdates.builder().offset(update).timeout(1).build(), received::addAll);
                Eventually.await("the update", Duration.ofSeconds(10), () -> !received.isEmpty());
            }
        }

        assertThat(fake.deliveries(update)).isGreaterThanOrEqualTo(2);
        assertThat(fake.confirmed(update)).isFalse();
    }

    private OkHttpTelegramClient clientWith(String token) {
        return new OkHttpTelegramClient(token, url());
    }

    private TelegramUrl url() {
        return new TelegramUrl("http", "127.0.0.1", fake.port(), false);
    }

    private static InlineKeyboardMarkup keyboard(String... labelsAndData) {
        InlineKeyboardRow row = new InlineKeyboardRow();
        for (int i = 0; i < labelsAndData.length; i += 2) {
            row.add(InlineKeyboardButton.builder().text(labelsAndData[i]).callbackData(labelsAndData[i + 1]).build());
        }
        return InlineKeyboardMarkup.builder().keyboardRow(row).build();
    }
}
