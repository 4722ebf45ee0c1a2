package dev.octo.adapters.telegram;

import static dev.octo.adapters.telegram.BotFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.adapters.telegram.fake.UserMessage;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.MutableClock;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network trouble, restarts, bursts and a wrong token: the bot goes on, and loses and repeats nothing. */
class ReliabilityTest {

    @TempDir
    Path folder;

    BotFixture octo;

    @AfterEach
    void close() {
        octo.close();
    }

    @Test
    void failedSendsAreTriedAgainAndEverythingArrivesExactlyOnce() {
        octo = new BotFixture(folder).start();
        octo.api.failNext("sendMessage", 3, 502);
        octo.api.rateLimitNext("sendMessage", 1);
        octo.processes.exitAtOnceWith(new ProcessExit(0, "ok\n", ""));

        octo.say(OWNER, "/bg first");
        octo.say(OWNER, "/bg second");
        octo.say(OWNER, "/bg third");

        // notices that wait for a retry may go out together: each task is told of once either way
        for (String id : List.of("t0000001", "t0000002", "t0000003")) {
            Eventually.await(() -> "the completion of " + id + "; got " + octo.texts(OWNER), BotFixture.LIMIT,
                    () -> octo.texts(OWNER).stream().anyMatch(text -> text.contains(id + " completed")));
        }
        Eventually.await(() -> "three dispatch answers; got " + octo.texts(OWNER), BotFixture.LIMIT,
                () -> octo.texts(OWNER).stream().filter(text -> text.contains("Dispatched")).count() == 3);
        assertThat(octo.api.attempts("sendMessage")).isEqualTo(octo.api.messagesTo(OWNER).size() + 4);
        assertThat(octo.texts(OWNER)).doesNotHaveDuplicates();
        for (String id : List.of("t0000001", "t0000002", "t0000003")) {
            assertThat(octo.texts(OWNER).stream().filter(text -> text.contains(id + " completed"))).hasSize(1);
        }
        assertThat(octo.store.list()).hasSize(3);
    }

    @Test
    void aMessageThatCouldNotBeSentForAnHourIsDroppedAndTheNextOnesStillGo() {
        MutableClock clock = new MutableClock();
        octo = new BotFixture(folder, clock, BotFixture.FAST).start();
        octo.api.failNext("sendMessage", 5, 503);

        octo.say(OWNER, "/tasks");
        Eventually.await("two tries", BotFixture.LIMIT, () -> octo.api.attempts("sendMessage") >= 2);
        clock.advance(Duration.ofMinutes(61));
        // the answer to /tasks is dropped at its next failure; the answer to /help, an hour younger, is not
        octo.say(OWNER, "/help");

        octo.awaitText(OWNER, "Commands:");
        assertThat(octo.texts(OWNER)).noneMatch(text -> text.contains("No tasks yet"));
    }

    @Test
    void theUpdatePollIsTriedAgainAfterServerErrors() {
        octo = new BotFixture(folder);
        octo.api.failNext("getUpdates", 3, 502);
        octo.api.rateLimitNext("getUpdates", 1);
        octo.start();

        octo.say(OWNER, "/tasks");

        octo.awaitText(OWNER, "No tasks yet");
        assertThat(octo.api.messagesTo(OWNER)).hasSize(1);
    }

    @Test
    void eachUpdateIsHandledOnceAcrossARestartAndAReplyAfterItStillStartsAFollowUp() {
        octo = new BotFixture(folder).start();
        octo.processes.exitAtOnceWith(new ProcessExit(0, "built\n", ""));
        int first = octo.say(OWNER, "/bg make");
        SentMessage done = octo.awaitText(OWNER, "completed");
        Task finished = octo.store.list().get(0);

        octo.bot.close();
        int whileDown = octo.say(OWNER, "/tasks");
        octo.startBot(BotFixture.TOKEN);
        octo.awaitText(OWNER, "make");
        octo.reply(OWNER, done.messageId(), "now deploy it");

        Eventually.await("a follow-up task", BotFixture.LIMIT, () -> octo.store.list().stream()
                .anyMatch(task -> task.parentId().equals(Optional.of(finished.id()))));
        Eventually.await("every update confirmed", BotFixture.LIMIT,
                () -> octo.api.confirmed(octo.api.nextUpdateId() - 1));
        // handled once each: one answer per message, and the first never read again after the restart
        assertThat(octo.api.deliveries(first)).isEqualTo(1);
        octo.awaitText(OWNER, "Following up task t0000001 with task t0000002");
        assertThat(octo.texts(OWNER).stream().filter(text -> text.startsWith("Dispatched"))).hasSize(1);
        assertThat(octo.texts(OWNER).stream().filter(text -> text.startsWith("Following up"))).hasSize(1);
        assertThat(octo.texts(OWNER).stream().filter(text -> text.contains("<code>t0000001</code>"))).hasSize(1);
        assertThat(octo.store.list().stream().filter(task -> task.spec().summary().equals("make"))).hasSize(1);
        assertThat(first).isLessThan(whileDown);
    }

    @Test
    void messagesOlderThanTheLimitAreSkippedAtStart() {
        octo = new BotFixture(folder);
        octo.api.pushMessage(UserMessage.text(OWNER, "/bg old").sentAt(Instant.now().minus(Duration.ofDays(2))));
        octo.api.pushMessage(UserMessage.text(OWNER, "/bg recent").sentAt(Instant.now().minus(Duration.ofHours(1))));
        octo.processes.exitAtOnceWith(new ProcessExit(0, "", ""));
        octo.start();

        octo.awaitText(OWNER, "recent");
        Eventually.await("both updates handled", BotFixture.LIMIT,
                () -> octo.api.confirmed(octo.api.nextUpdateId() - 1) || octo.bot.isRunning() && octo.store.list().size() == 1);
        assertThat(octo.store.list()).extracting(task -> task.spec().summary()).containsExactly("recent");
    }

    @Test
    void aWrongTokenStopsTheBotWithOneClearLineAndTheTasksGoOn() {
        octo = new BotFixture(folder).start("4242:wrong-token", 8);

        Eventually.await("the bot says it stopped", BotFixture.LIMIT, () -> !octo.stopLines.isEmpty());
        assertThat(octo.stopLines).containsExactly(TelegramFrontEnd.TOKEN_REFUSED);
        assertThat(TelegramFrontEnd.TOKEN_REFUSED).doesNotContain("\n");
        assertThat(octo.bot.isRunning()).isFalse();

        octo.processes.exitAtOnceWith(new ProcessExit(0, "fine\n", ""));
        TaskId id = ((TaskOutcome.Done) octo.engine.dispatch(DispatchTask.Process.of("echo fine"))).task().id();
        Eventually.await("the task completes", BotFixture.LIMIT,
                () -> octo.engine.find(id).orElseThrow().isFinal());
        assertThat(octo.api.chats()).isEmpty();
    }

    @Test
    void twoHundredTasksFinishingTogetherReachAChatInAtMostTenMessagesThatListThemAll() throws Exception {
        octo = new BotFixture(folder, Clock.systemUTC(), new Pacing(Duration.ofSeconds(1), Duration.ofMillis(50),
                Duration.ofMillis(400), Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(3)))
                .start(BotFixture.TOKEN, 200);
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(((TaskOutcome.Done) octo.engine.dispatch(DispatchTask.Process.of("job " + i))).task().id());
        }
        Eventually.await("200 running", BotFixture.LIMIT, () -> octo.processes.runningCount() == 200);

        IntStream.range(0, 200).forEach(i -> octo.processes.process(ids.get(i)).orElseThrow()
                .finish(0, "done " + i + "\n", ""));

        Eventually.await(() -> "every task listed; got " + octo.texts(OWNER).size() + " messages", Duration.ofSeconds(30),
                () -> ids.stream().allMatch(id -> String.join("\n", octo.texts(OWNER)).contains(id.value())));
        assertThat(octo.api.messagesTo(OWNER)).hasSizeLessThanOrEqualTo(10);
        assertThat(octo.api.messagesTo(OWNER)).allMatch(m -> Html.toPlain(m.text()).length() <= MessageSplitter.LIMIT);
    }
}
