package dev.octo.adapters.telegram;

import static dev.octo.adapters.telegram.BotFixture.FRIEND;
import static dev.octo.adapters.telegram.BotFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.telegram.fake.Button;
import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.ScriptedAgentRunner.Step;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.Task;
import dev.octo.domain.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner and every authorized user are told of each task that ends or asks, with buttons. */
class NotificationsTest {

    @TempDir
    Path folder;

    BotFixture octo;

    @AfterEach
    void close() {
        octo.close();
    }

    private void authorizeFriend() {
        octo.say(OWNER, "/authorize " + FRIEND + " Ann");
        octo.awaitText(OWNER, "is authorized");
    }

    @Test
    void theOwnersBgIsDispatchedAndItsResultReachesTheOwnerAndAnAuthorizedUser() {
        octo = new BotFixture(folder).start();
        authorizeFriend();
        octo.processes.exitAtOnceWith(new ProcessExit(0, "hi\n", ""));

        octo.say(OWNER, "/bg echo hi");

        octo.awaitText(OWNER, "Dispatched task");
        for (long chat : List.of(OWNER, FRIEND)) {
            SentMessage done = octo.awaitText(chat, "completed");
            assertThat(done.parseMode()).isEqualTo("HTML");
            assertThat(done.text()).contains("echo hi").contains("\nhi");
            assertThat(done.allButtons()).extracting(Button::text).containsExactly("Show", "Log", "Retry");
            assertThat(done.allButtons()).allMatch(button -> button.callbackData().getBytes(StandardCharsets.UTF_8).length <= 64);
        }
        assertThat(octo.store.list()).singleElement().extracting(Task::status).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void aReplyToAPausedTasksNotificationResumesItWithTheReplyText() {
        octo = new BotFixture(folder).start();
        octo.agents.enqueue(Step.escalate("Which branch?"), Step.complete("merged main"));

        octo.say(OWNER, "/agent merge the branch");

        SentMessage question = octo.awaitText(OWNER, "Which branch?");
        assertThat(question.allButtons()).extracting(Button::text).containsExactly("Cancel", "Show");
        Task paused = octo.store.list().get(0);
        assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);

        octo.reply(OWNER, question.messageId(), "main, & <quickly>");

        octo.awaitText(OWNER, "merged main");
        Task done = octo.engine.find(paused.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(octo.agents.runsOf(paused.id()).get(1).answer()).contains("main, & <quickly>");
    }

    @Test
    void theCancelButtonOfAPausedTaskCancelsIt() {
        octo = new BotFixture(folder).start();
        octo.agents.enqueue(Step.escalate("Shall I?"));

        octo.say(OWNER, "/agent do the thing");
        SentMessage question = octo.awaitText(OWNER, "Shall I?");
        Button cancel = question.allButtons().stream().filter(b -> b.text().equals("Cancel")).findFirst().orElseThrow();

        octo.api.pushCallback(OWNER, OWNER, question.messageId(), cancel.callbackData());

        Task paused = octo.store.list().get(0);
        Eventually.await("the task is cancelled", BotFixture.LIMIT,
                () -> octo.engine.find(paused.id()).orElseThrow().status() == TaskStatus.CANCELLED);
        octo.awaitMessage(OWNER, "the answer to the cancel", m -> m.text().toLowerCase().contains("cancelled"));
    }

    @Test
    void theShowButtonShowsTheTask() {
        octo = new BotFixture(folder).start();
        octo.processes.exitAtOnceWith(new ProcessExit(0, "hi\n", ""));
        octo.say(OWNER, "/bg echo hi");
        SentMessage done = octo.awaitText(OWNER, "completed");
        Button show = done.allButtons().get(0);

        octo.api.pushCallback(OWNER, OWNER, done.messageId(), show.callbackData());

        SentMessage detail = octo.awaitMessage(OWNER, "the task's detail",
                m -> m.text().startsWith("<b>Task ") && m.text().contains("· process · completed"));
        assertThat(detail.allButtons()).extracting(Button::text).containsExactly("Log", "Retry");
        assertThat(detail.text()).contains(TelegramText.FOLLOW_UP_HINT);
    }

    @Test
    void aQuestionShownByWaitHasItsButtonsAndAReplyToItAnswers() {
        octo = new BotFixture(folder).start();
        octo.agents.enqueue(Step.escalate("Red or blue?"), Step.complete("painted it red"));
        octo.say(OWNER, "/agent paint the shed");
        octo.awaitText(OWNER, "Red or blue?");

        octo.say(OWNER, "/wait t0000001");

        SentMessage question = octo.awaitMessage(OWNER, "the question as the answer to /wait",
                m -> m.text().startsWith("<b>Task t0000001") && m.text().contains("Question: Red or blue?"));
        assertThat(question.allButtons()).extracting(Button::text).containsExactly("Cancel", "Show");
        assertThat(question.text()).contains(TelegramText.ANSWER_HINT);
        octo.reply(OWNER, question.messageId(), "red");
        octo.awaitText(OWNER, "painted it red");
    }

    @Test
    void aLongResultFullOfMarkupCharactersArrivesAsSeveralValidMessagesWithinTheLimit() {
        octo = new BotFixture(folder).start();
        long seed = 20261202L;
        System.out.println("seed " + seed);
        Random random = new Random(seed);
        StringBuilder output = new StringBuilder();
        String alphabet = "<&*>ab c_`[]";
        while (output.length() < 10_000) {
            int line = 1 + random.nextInt(300);
            for (int i = 0; i < line; i++) {
                output.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            output.append('\n');
        }
        octo.processes.exitAtOnceWith(new ProcessExit(0, output.toString(), ""));

        octo.say(OWNER, "/bg ./noisy");

        Eventually.await("the whole result", BotFixture.LIMIT, () -> String.join("\n", octo.texts(OWNER))
                .contains(Html.escape(output.toString().strip().substring(output.toString().strip().lastIndexOf('\n') + 1))));
        List<SentMessage> parts = octo.api.messagesTo(OWNER).stream()
                .filter(m -> !m.text().contains("Dispatched")).toList();
        assertThat(parts).hasSizeGreaterThan(2);
        assertThat(parts).allMatch(m -> "HTML".equals(m.parseMode()));
        assertThat(parts).allMatch(m -> Html.toPlain(m.text()).length() <= MessageSplitter.LIMIT);
        String shown = String.join("\n", parts.stream().map(m -> Html.toPlain(m.text())).toList());
        assertThat(shown).contains(output.toString().strip());
        // the buttons are on the last part only
        assertThat(parts.get(parts.size() - 1).allButtons()).isNotEmpty();
        assertThat(parts.subList(0, parts.size() - 1)).allMatch(m -> m.allButtons().isEmpty());
    }
}
