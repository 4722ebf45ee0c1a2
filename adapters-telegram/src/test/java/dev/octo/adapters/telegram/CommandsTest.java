package dev.octo.adapters.telegram;

import static dev.octo.adapters.telegram.BotFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.telegram.fake.Button;
import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal's commands, answered in Telegram's way. */
class CommandsTest {

    @TempDir
    Path folder;

    BotFixture octo;

    @AfterEach
    void close() {
        octo.close();
    }

    @Test
    void theCommandMenuIsTheCatalogueLessLeaving() {
        octo = new BotFixture(folder).start();

        Eventually.await("a command menu", BotFixture.LIMIT, () -> !octo.api.commands().isEmpty());
        assertThat(octo.api.commands()).containsKeys("bg", "agent", "tasks", "task", "wait", "clean", "help")
                .doesNotContainKey("exit");
        assertThat(octo.api.commands().get("bg")).isEqualTo("run a shell command in the background");
    }

    @Test
    void freeTextGoesToTheSupervisorWhileTheChatShowsTyping() throws Exception {
        CountDownLatch thinking = new CountDownLatch(1);
        octo = new BotFixture(folder);
        octo.supervisor = (channel, message) -> {
            try {
                thinking.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "You said <" + message + "> on " + channel;
        };
        octo.start();

        octo.say(OWNER, "hello & goodbye");

        Eventually.await("typing", BotFixture.LIMIT, () -> octo.api.chatActions(OWNER).contains("typing"));
        thinking.countDown();
        SentMessage answer = octo.awaitText(OWNER, "You said");
        assertThat(answer.text()).isEqualTo("You said &lt;hello &amp; goodbye&gt; on telegram:" + OWNER);
    }

    @Test
    void waitAnswersAtOnceWithTheStateOfTheTasks() {
        octo = new BotFixture(folder).start();
        octo.say(OWNER, "/bg sleep 1000");
        octo.awaitText(OWNER, "Dispatched");

        octo.say(OWNER, "/wait");

        octo.awaitText(OWNER, "Not all tasks are done yet");
    }

    @Test
    void tasksAreListedCompactlyWithTheirIdsSetApart() {
        octo = new BotFixture(folder).start();
        octo.say(OWNER, "/bg echo <b>bold</b>");
        octo.awaitText(OWNER, "Dispatched");

        octo.say(OWNER, "/tasks");

        SentMessage list = octo.awaitText(OWNER, "<code>t0000001</code>");
        assertThat(list.text()).contains("echo &lt;b&gt;bold&lt;/b&gt;");
    }

    @Test
    void aLongLogIsSentAsAFileAndAShortOneAsText() throws Exception {
        octo = new BotFixture(folder).start();
        octo.processes.exitAtOnceWith(new ProcessExit(0, "done\n", ""));
        octo.say(OWNER, "/bg build");
        SentMessage done = octo.awaitText(OWNER, "completed");
        Task task = octo.store.list().get(0);
        Path log = folder.resolve("tasks").resolve(task.id().value() + ".out.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "line of the build log\n".repeat(1_000));
        Button logButton = done.allButtons().stream().filter(b -> b.text().equals("Log")).findFirst().orElseThrow();

        octo.api.pushCallback(OWNER, OWNER, done.messageId(), logButton.callbackData());

        SentMessage file = octo.awaitMessage(OWNER, "a document", m -> m.document() != null);
        assertThat(file.document().fileName()).isEqualTo(task.id().value() + ".out.log");
        assertThat(file.document().contentAsText()).isEqualTo(Files.readString(log));
        assertThat(file.text()).contains("Task " + task.id().value());
    }
}
