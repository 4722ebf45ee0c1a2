package dev.octo.bootstrap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octo.adapters.llm.ChatModels;
import dev.octo.adapters.llm.ChatModelsSetup;
import dev.octo.adapters.llm.LlmSettings;
import dev.octo.adapters.llm.ProviderChatModels;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.llm.fake.FakeLlmServer.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The log never writes to the terminal, also when it cannot write its file. */
class LoggingTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private PrintStream systemErr;

    @BeforeEach
    void captureTheTerminal() {
        systemErr = System.err;
        System.setErr(new PrintStream(terminal, true, UTF_8));
    }

    @AfterEach
    void restoreTheTerminal() {
        LogManager.getLogManager().reset();
        System.setErr(systemErr);
    }

    @Test
    void aLogFileThatCannotBeWrittenPrintsNothingOnTheTerminal() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/full")), "/dev/full, where every write fails as on a full disk");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.createSymbolicLink(logs.resolve("octo.log"), Path.of("/dev/full"));

        Logging.toFile(logs);
        System.getLogger(LoggingTest.class.getName())
                .log(System.Logger.Level.ERROR, "a record the disk has no room for", new IOException("with a trace"));
        System.getLogger(LoggingTest.class.getName()).log(System.Logger.Level.WARNING, "and another");
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.flush();
            handler.close();
        }

        assertThat(terminal.toString(UTF_8)).isEmpty();
    }

    @Test
    void langChain4jLogsGoToTheLogFileAndNotToTheTerminal() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = Logging.toFile(logs);
        try (FakeLlmServer server = FakeLlmServer.start(Protocol.OPENAI)) {
            server.failWith(503).answerText("after a retry");
            ChatModels models = ((ChatModelsSetup.Ready) ProviderChatModels.from(LlmSettings.from(Map.of(
                    "OCTO_LLM_PROVIDER", "openai", "OPENAI_BASE_URL", server.baseUrl())))).models();

            // LangChain4j logs each retry through SLF4J, which must end in java.util.logging
            assertThat(models.chat(Optional.empty()).chat("hello")).isEqualTo("after a retry");
        }
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.flush();
        }

        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).isEqualTo("org.slf4j.jul.JDK14LoggerFactory");
        assertThat(Files.readString(log)).contains("dev.langchain4j");
        assertThat(terminal.toString(UTF_8)).isEmpty();
    }

    @Test
    void javaUtilLoggingStartedAfterNeverToTheConsoleHasNoConsoleHandler() throws IOException {
        System.clearProperty("java.util.logging.config.class");
        try {
            Logging.neverToTheConsole();
            // as java.util.logging does when it starts
            LogManager.getLogManager().readConfiguration();

            System.getLogger(LoggingTest.class.getName())
                    .log(System.Logger.Level.ERROR, "too early for the log file", new IOException("with a trace"));

            assertThat(Logger.getLogger("").getHandlers()).noneMatch(ConsoleHandler.class::isInstance);
            assertThat(terminal.toString(UTF_8)).isEmpty();
        } finally {
            System.clearProperty("java.util.logging.config.class");
        }
    }

    @Test
    void nothingLoggedBeforeTheLogFileIsOpenReachesTheTerminal() throws IOException {
        // as in a fresh JVM: the JDK's console handler, on System.err, on the root logger
        System.clearProperty("java.util.logging.config.class");
        LogManager.getLogManager().readConfiguration();
        assertThat(Logger.getLogger("").getHandlers()).anyMatch(ConsoleHandler.class::isInstance);

        Logging.keepOffTheTerminal();
        System.getLogger(LoggingTest.class.getName())
                .log(System.Logger.Level.ERROR, "too early for the log file", new IOException("with a trace"));

        assertThat(terminal.toString(UTF_8)).isEmpty();
    }

    @Test
    void onceTheLogCanBeWrittenAgainItSaysHowOftenItCouldNot() {
        Disk disk = new Disk();
        QuietHandler handler = new QuietHandler(new FlushingHandler(disk));
        disk.full = true;

        handler.publish(new LogRecord(Level.INFO, "lost one"));
        handler.publish(new LogRecord(Level.INFO, "lost two"));
        disk.full = false;
        handler.publish(new LogRecord(Level.INFO, "written again"));
        handler.publish(new LogRecord(Level.INFO, "and on"));

        String log = disk.written.toString(UTF_8);
        assertThat(log).contains("written again").contains("and on");
        assertThat(log).containsOnlyOnce("The log could not be written 2 times since ")
                .contains("(first: java.io.IOException: No space left on device)");
        assertThat(log.indexOf("The log could not be written")).isGreaterThan(log.indexOf("written again"))
                .isLessThan(log.indexOf("and on"));
        assertThat(terminal.toString(UTF_8)).isEmpty();
    }

    /** A disk that can fill up and be freed again. */
    private static final class Disk extends OutputStream {

        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile boolean full;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
            written.write(bytes, offset, length);
        }
    }

    /** Flushes every record, as the FileHandler that Octo logs through does. */
    private static final class FlushingHandler extends StreamHandler {

        FlushingHandler(OutputStream out) {
            super(out, new SimpleFormatter());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }
    }
}
