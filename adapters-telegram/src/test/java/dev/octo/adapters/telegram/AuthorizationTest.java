package dev.octo.adapters.telegram;

import static dev.octo.adapters.telegram.BotFixture.FRIEND;
import static dev.octo.adapters.telegram.BotFixture.OWNER;
import static dev.octo.adapters.telegram.BotFixture.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.adapters.telegram.fake.UserMessage;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.domain.Task;
import dev.octo.domain.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the owner and the users the owner authorized get anything from the bot. */
class AuthorizationTest {

    @TempDir
    Path folder;

    BotFixture octo;

    @BeforeEach
    void start() {
        octo = new BotFixture(folder).start();
    }

    @AfterEach
    void close() {
        octo.close();
    }

    @Test
    void aStrangersCommandRunsNothingAndIsAnsweredNotAuthorized() {
        octo.say(STRANGER, "/bg echo hi");
        octo.say(STRANGER, "hello supervisor");

        Eventually.await("two answers to the stranger", BotFixture.LIMIT,
                () -> octo.api.messagesTo(STRANGER).size() == 2);
        assertThat(octo.texts(STRANGER)).allMatch(text -> text.startsWith("Not authorized"));
        assertThat(octo.store.list()).isEmpty();
        assertThat(octo.processes.starts()).isEmpty();
        assertThat(octo.api.chatActions(STRANGER)).isEmpty();
    }

    @Test
    void aStrangersButtonPressCancelsNothingAndIsAnsweredNotAuthorized() {
        Task task = ((TaskOutcome.Done) octo.engine.dispatch(DispatchTask.Process.of("sleep 100"))).task();
        Eventually.await("the task runs", BotFixture.LIMIT, () -> octo.processes.isRunning(task.id()));

        String query = octo.api.pushCallback(STRANGER, STRANGER, 1, "c:" + task.id().value());

        Eventually.await("the press is answered", BotFixture.LIMIT,
                () -> octo.api.callbackAnswers().containsKey(query));
        assertThat(octo.api.callbackAnswers().get(query)).startsWith("Not authorized");
        assertThat(octo.engine.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(octo.api.messagesTo(STRANGER)).isEmpty();
    }

    @Test
    void theOwnerAuthorizesAndRevokesAUserWhoIsThenLetInAndOutAgain() throws Exception {
        octo.say(OWNER, "/authorize " + FRIEND + " Ann");
        octo.awaitText(OWNER, "Ann (" + FRIEND + ") is authorized");
        assertThat(Files.readString(folder.resolve("telegram/authorized_users.json"))).contains("\"id\":" + FRIEND);
        assertThat(folder.resolve("telegram/authorized_users.json.tmp")).doesNotExist();

        octo.say(FRIEND, "/tasks");
        octo.awaitText(FRIEND, "No tasks yet");

        octo.say(OWNER, "/authorize");
        SentMessage list = octo.awaitText(OWNER, "Authorized:");
        assertThat(list.text()).contains(FRIEND + " Ann");

        octo.say(OWNER, "/revoke " + FRIEND);
        octo.awaitText(OWNER, "is no longer authorized");
        octo.say(FRIEND, "/tasks");
        octo.awaitText(FRIEND, "Not authorized");
    }

    @Test
    void theOwnerAuthorizesTheAuthorOfAMessageByReplyingAuthorizeToIt() {
        long group = -500;
        int strangersMessage = octo.api.pushMessage(UserMessage.text(STRANGER, group, "let me in"));
        octo.awaitText(group, "Not authorized");

        octo.api.pushMessage(UserMessage.text(OWNER, group, "/authorize").replyingTo(strangersMessage));

        octo.awaitText(group, "(" + STRANGER + ") is authorized");
        octo.say(STRANGER, "/tasks");
        octo.awaitText(STRANGER, "No tasks yet");
    }

    @Test
    void nobodyButTheOwnerMayAuthorizeOrRevoke() {
        octo.say(OWNER, "/authorize " + FRIEND);
        octo.awaitText(OWNER, "is authorized");

        octo.say(FRIEND, "/authorize " + STRANGER);
        octo.say(FRIEND, "/revoke " + FRIEND);
        octo.say(STRANGER, "/authorize " + STRANGER);

        octo.awaitText(FRIEND, "Only the owner can authorize users.");
        octo.awaitText(FRIEND, "Only the owner can revoke users.");
        octo.awaitText(STRANGER, "Not authorized");
        octo.say(STRANGER, "/tasks");
        Eventually.await("two answers to the stranger", BotFixture.LIMIT,
                () -> octo.api.messagesTo(STRANGER).size() == 2);
        assertThat(octo.texts(STRANGER)).allMatch(text -> text.startsWith("Not authorized"));
    }

    @Test
    void theAuthorizedUsersAreKeptAcrossARestart() {
        octo.say(OWNER, "/authorize " + FRIEND);
        octo.awaitText(OWNER, "is authorized");
        octo.bot.close();

        octo.startBot(BotFixture.TOKEN);
        octo.say(FRIEND, "/tasks");
        octo.awaitText(FRIEND, "No tasks yet");
    }
}
