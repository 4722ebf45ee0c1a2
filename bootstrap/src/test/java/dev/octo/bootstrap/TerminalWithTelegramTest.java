package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.telegram.fake.FakeBotApi;
import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.adapters.telegram.fake.UserMessage;
import dev.octo.application.fakes.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal entry point with a bot token set runs the bot in the same process: the terminal and
 * the phone see the same tasks, and a refused token is one line on the terminal while the rest goes
 * on. Octo runs in this JVM with a script on a pipe, the bot talks to a fake Bot API server.
 */
class TerminalWithTelegramTest {

    private static final String TOKEN = "123456:terminal-test-token";
    private static final long OWNER = 42L;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path workingDirectory;

    private final FakeBotApi telegram = FakeBotApi.start(TOKEN);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Writer script;
    private CompletableFuture<Integer> octo;

    @AfterEach
    void stop() {
        telegram.close();
    }

    private void start(String token) throws IOException {
        PipedInputStream stdin = new PipedInputStream();
        script = new OutputStreamWriter(new PipedOutputStream(stdin), StandardCharsets.UTF_8);
        Map<String, String> environment = Map.of("TELEGRAM_BOT_TOKEN", token, "TELEGRAM_OWNER_ID",
                Long.toString(OWNER), "TELEGRAM_API_URL", telegram.url());
        octo = new CompletableFuture<>();
        // a thread of its own: on the common pool it could starve the asynchronous work of the engine
        Thread.ofPlatform().name("octo-under-test").start(() -> octo.complete(Octo.run(new String[0], environment,
                workingDirectory, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))));
    }

    private void type(String line) throws IOException {
        script.write(line + "\n");
        script.flush();
    }

    private int leave() throws Exception {
        script.close();
        return octo.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTaskStartedAtTheTerminalIsToldToThePhoneAndOneStartedFromThePhoneAtTheTerminal() throws Exception {
        start(TOKEN);

        type("/bg echo typed at the terminal");
        Eventually.await(() -> "the phone told; it got " + telegram.messagesTo(OWNER) + "; " + stdout() + stderr(),
                LIMIT, () -> telegram.messagesTo(OWNER).stream().map(SentMessage::text)
                        .anyMatch(text -> text.contains("completed") && text.contains("typed at the terminal")));
        telegram.pushMessage(UserMessage.text(OWNER, "/bg echo sent from the phone"));
        Eventually.await(() -> "the terminal told; it printed " + stdout(), LIMIT,
                () -> stdout().lines().anyMatch(line -> line.contains("completed") && line.contains("sent from the phone")));

        assertThat(leave()).isEqualTo(Octo.EXIT_OK);
        assertThat(stderr()).isEmpty();
    }

    @Test
    void aRefusedTokenIsOneLineOnTheTerminalAndTheRestGoesOn() throws Exception {
        start("123456:not-the-token");

        Eventually.await(() -> "the line on the refused token; stderr: " + stderr(), LIMIT,
                () -> stderr().contains("401"));
        type("/bg echo still works");
        type("/wait");

        assertThat(leave()).isEqualTo(Octo.EXIT_OK);
        assertThat(stderr().lines()).containsExactly("octo: Telegram refused the bot token (401 Unauthorized): the "
                + "Telegram bot is stopped; check TELEGRAM_BOT_TOKEN.");
        assertThat(stdout()).contains("still works");
        assertThat(Files.readString(workingDirectory.resolve(".octo/logs/octo.log")))
                .contains("Telegram refused the bot token (401 Unauthorized)");
        assertThat(telegram.messagesTo(OWNER)).isEmpty();
    }
}
