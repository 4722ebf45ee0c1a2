package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    @TempDir
    Path workingDirectory;

    @Test
    void withNothingSetEveryValueHasItsDefault() {
        OctoConfig config = ConfigLoader.load(Map.of(), workingDirectory);

        assertThat(config.workingDirectory()).isEqualTo(workingDirectory.toAbsolutePath().normalize());
        assertThat(config.octoDir()).isEqualTo(config.workingDirectory().resolve(".octo"));
        assertThat(config.tasksDirectory()).isEqualTo(config.workingDirectory().resolve(".octo/tasks"));
        assertThat(config.logsDirectory()).isEqualTo(config.workingDirectory().resolve(".octo/logs"));
        assertThat(config.maxConcurrent()).isEqualTo(3);
        assertThat(config.additionalClaudeArgs()).isEmpty();
        assertThat(config.claudeCodeTimeout()).isEqualTo(Duration.ofSeconds(2_400));
        assertThat(config.telegramBotToken()).isEmpty();
        assertThat(config.telegramOwnerId()).isEmpty();
        assertThat(config.telegramApiUrl()).isEmpty();
        assertThat(config.telegramMaxUpdateAge()).isEqualTo(Duration.ofHours(24));
        assertThat(config.telegramEnabled()).isFalse();
        assertThat(config.llmProvider()).isEmpty();
        assertThat(config.llmModel()).isEmpty();
        assertThat(config.anthropicApiKey()).isEmpty();
        assertThat(config.openAiApiKey()).isEmpty();
        assertThat(config.openAiBaseUrl()).isEmpty();
        assertThat(config.ollamaBaseUrl()).isEmpty();
    }

    @Test
    void loadingDoesNotCreateTheStateFolder() {
        ConfigLoader.load(Map.of(), workingDirectory);

        assertThat(workingDirectory.resolve(".octo")).doesNotExist();
    }

    @Test
    void anEmptyOrBlankValueCountsAsUnset() {
        OctoConfig config = ConfigLoader.load(Map.of("BG_MAX_CONCURRENT", "", "CLAUDE_CODE_TIMEOUT", "   ",
                "OCTO_LLM_PROVIDER", "", "OCTO_DIR", " "), workingDirectory);

        assertThat(config.maxConcurrent()).isEqualTo(3);
        assertThat(config.claudeCodeTimeout()).isEqualTo(Duration.ofSeconds(2_400));
        assertThat(config.llmProvider()).isEmpty();
        assertThat(config.octoDir()).isEqualTo(config.workingDirectory().resolve(".octo"));
    }

    @Test
    void valuesAreReadWithoutTheSpaceAroundThem() {
        OctoConfig config = ConfigLoader.load(Map.of("BG_MAX_CONCURRENT", " 4 ", "TELEGRAM_OWNER_ID", " 42"),
                workingDirectory);

        assertThat(config.maxConcurrent()).isEqualTo(4);
        assertThat(config.telegramOwnerId()).contains(42L);
    }

    @Test
    void everyVariableIsReadFromTheEnvironment() {
        Map<String, String> environment = Map.ofEntries(
                Map.entry("BG_MAX_CONCURRENT", "8"),
                Map.entry("ADDITIONAL_CLAUDE_ARGS", "--model opus --verbose"),
                Map.entry("CLAUDE_CODE_TIMEOUT", "600"),
                Map.entry("TELEGRAM_BOT_TOKEN", "123:abc"),
                Map.entry("TELEGRAM_OWNER_ID", "987654321"),
                Map.entry("TELEGRAM_API_URL", "http://127.0.0.1:8081"),
                Map.entry("TELEGRAM_MAX_UPDATE_AGE", "3600"),
                Map.entry("OCTO_LLM_PROVIDER", "OpenAI"),
                Map.entry("OCTO_LLM_MODEL", "gpt-4o-mini"),
                Map.entry("ANTHROPIC_API_KEY", "sk-ant"),
                Map.entry("ANTHROPIC_BASE_URL", "http://127.0.0.1:8083/v1"),
                Map.entry("OPENAI_API_KEY", "sk-oai"),
                Map.entry("OPENAI_BASE_URL", "http://127.0.0.1:8082/v1"),
                Map.entry("OLLAMA_BASE_URL", "http://127.0.0.1:11434"),
                Map.entry("OCTO_AGENT_MAX_TOKENS", "200000"));

        OctoConfig config = ConfigLoader.load(environment, workingDirectory);

        assertThat(config.maxConcurrent()).isEqualTo(8);
        assertThat(config.additionalClaudeArgs()).isEqualTo("--model opus --verbose");
        assertThat(config.claudeCodeTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.telegramBotToken()).contains("123:abc");
        assertThat(config.telegramOwnerId()).contains(987_654_321L);
        assertThat(config.telegramApiUrl()).contains("http://127.0.0.1:8081");
        assertThat(config.telegramMaxUpdateAge()).isEqualTo(Duration.ofHours(1));
        assertThat(config.telegramEnabled()).isTrue();
        assertThat(config.llmProvider()).contains("openai");
        assertThat(config.llmModel()).contains("gpt-4o-mini");
        assertThat(config.anthropicApiKey()).contains("sk-ant");
        assertThat(config.anthropicBaseUrl()).contains("http://127.0.0.1:8083/v1");
        assertThat(config.openAiApiKey()).contains("sk-oai");
        assertThat(config.openAiBaseUrl()).contains("http://127.0.0.1:8082/v1");
        assertThat(config.ollamaBaseUrl()).contains("http://127.0.0.1:11434");
        assertThat(config.agentMaxTokens()).contains(200_000L);
    }

    @Test
    void anAgentTokenBudgetIsAPositiveWholeNumber() {
        assertThat(ConfigLoader.load(Map.of(), workingDirectory).agentMaxTokens()).isEmpty();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("OCTO_AGENT_MAX_TOKENS", "lots"), workingDirectory))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("OCTO_AGENT_MAX_TOKENS=lots is not allowed");
    }

    @Nested
    class FromADotEnvFile {

        @Test
        void valuesInDotEnvAreUsed() throws IOException {
            dotEnv("""
                    # Octo for this project
                    BG_MAX_CONCURRENT=5

                    ADDITIONAL_CLAUDE_ARGS="--model opus"
                    CLAUDE_CODE_TIMEOUT=900
                    OCTO_LLM_PROVIDER=ollama
                    TELEGRAM_OWNER_ID=42
                    """);

            OctoConfig config = ConfigLoader.load(Map.of(), workingDirectory);

            assertThat(config.maxConcurrent()).isEqualTo(5);
            assertThat(config.additionalClaudeArgs()).isEqualTo("--model opus");
            assertThat(config.claudeCodeTimeout()).isEqualTo(Duration.ofSeconds(900));
            assertThat(config.llmProvider()).contains("ollama");
            assertThat(config.telegramOwnerId()).contains(42L);
        }

        @Test
        void theEnvironmentWinsOverDotEnv() throws IOException {
            dotEnv("BG_MAX_CONCURRENT=5\nCLAUDE_CODE_TIMEOUT=900\n");

            OctoConfig config = ConfigLoader.load(Map.of("BG_MAX_CONCURRENT", "7"), workingDirectory);

            assertThat(config.maxConcurrent()).isEqualTo(7);
            assertThat(config.claudeCodeTimeout()).isEqualTo(Duration.ofSeconds(900));
        }

        @Test
        void anEmptyValueInTheEnvironmentStillWinsOverDotEnv() throws IOException {
            // VAR= in the environment is a deliberate "unset"; it must not bring back the file's value
            dotEnv("OCTO_LLM_PROVIDER=anthropic\n");

            OctoConfig config = ConfigLoader.load(Map.of("OCTO_LLM_PROVIDER", ""), workingDirectory);

            assertThat(config.llmProvider()).isEmpty();
        }

        @Test
        void aBadValueInDotEnvIsReportedLikeOneFromTheEnvironment() throws IOException {
            dotEnv("BG_MAX_CONCURRENT=many\n");

            assertThatThrownBy(() -> ConfigLoader.load(Map.of(), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("BG_MAX_CONCURRENT=many is not allowed: it must be a whole number from 1 to 2147483647");
        }

        @Test
        void aBadValueInDotEnvDoesNotMatterWhenTheEnvironmentOverridesIt() throws IOException {
            dotEnv("BG_MAX_CONCURRENT=many\n");

            assertThat(ConfigLoader.load(Map.of("BG_MAX_CONCURRENT", "2"), workingDirectory).maxConcurrent())
                    .isEqualTo(2);
        }

        @ParameterizedTest
        @ValueSource(strings = {"JUSTAWORD", "no equals sign here", "=value-without-a-name", "export BG_MAX_CONCURRENT=2",
                "BG MAX=2"})
        void aLineDotenvCannotParseStopsTheStartWithOneLineNamingTheFileAndTheLine(String line) throws IOException {
            dotEnv("BG_MAX_CONCURRENT=2\n" + line + "\n");

            assertThatThrownBy(() -> ConfigLoader.load(Map.of(), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessageContaining(workingDirectory.resolve(".env").toString())
                    .hasMessageContaining(line);
        }

        @Test
        void commentsBlankLinesAndOddButParsableLinesDoNotStopTheStart() throws IOException {
            // dotenv-java accepts these: an inline comment is cut, a key that starts with a digit is kept
            dotEnv("""
                    # a comment

                       \t
                    1ODD=yes
                    BG_MAX_CONCURRENT=6 # six at once
                    ADDITIONAL_CLAUDE_ARGS='--model "opus"'
                    """);

            OctoConfig config = ConfigLoader.load(Map.of(), workingDirectory);

            assertThat(config.maxConcurrent()).isEqualTo(6);
            assertThat(config.additionalClaudeArgs()).isEqualTo("--model \"opus\"");
        }

        @Test
        void singleQuotesAroundAValueAreRemovedLikeDoubleQuotes() throws IOException {
            // else the quotes would reach the shell inside every claude command
            dotEnv("ADDITIONAL_CLAUDE_ARGS='--model opus --verbose'\nOCTO_LLM_PROVIDER='anthropic'\nOCTO_LLM_MODEL=\"x'\"\n");

            OctoConfig config = ConfigLoader.load(Map.of(), workingDirectory);

            assertThat(config.additionalClaudeArgs()).isEqualTo("--model opus --verbose");
            assertThat(config.llmProvider()).contains("anthropic");
            assertThat(config.llmModel()).contains("x'");
        }

        @Test
        void aQuoteNeverClosedIsReportedRatherThanLosingEverySettingAfterIt() throws IOException {
            // dotenv-java reads on to the end of the file for the closing quote, then drops it all
            dotEnv("BG_MAX_CONCURRENT=2\nOCTO_LLM_MODEL=\"never closed\nBG_MAX_CONCURRENT=6\nCLAUDE_CODE_TIMEOUT=900\n");

            assertThatThrownBy(() -> ConfigLoader.load(Map.of(), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessage("Cannot read " + workingDirectory.resolve(".env") + ": OCTO_LLM_MODEL on line 2 was not"
                            + " read; is a quote left open on that line or above it?");
        }

        @Test
        void aMessageOfDotenvOverSeveralLinesIsReportedOnOne() throws IOException {
            // here dotenv-java itself refuses the open quote, quoting every line it read after it
            dotEnv("OCTO_LLM_MODEL=\"never closed\nBG_MAX_CONCURRENT=6 # six\nTELEGRAM_API_URL=http://127.0.0.1/#x\n");

            assertThatThrownBy(() -> ConfigLoader.load(Map.of(), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessageContaining("OCTO_LLM_MODEL=\"never closed\\nBG_MAX_CONCURRENT=6");
        }

        @Test
        void aValueQuotedOverSeveralLinesMayHoldLinesThatLookLikeSettings() throws IOException {
            dotEnv("OCTO_LLM_MODEL=\"first\nBG_MAX_CONCURRENT=9\nlast\"\nCLAUDE_CODE_TIMEOUT=900\n");

            OctoConfig config = ConfigLoader.load(Map.of(), workingDirectory);

            assertThat(config.llmModel()).contains("first\nBG_MAX_CONCURRENT=9\nlast");
            assertThat(config.maxConcurrent()).isEqualTo(3);
            assertThat(config.claudeCodeTimeout()).isEqualTo(Duration.ofSeconds(900));
        }

        @Test
        void aByteOrderMarkIsShownInTheMessageRatherThanLeftInvisible() throws IOException {
            dotEnv("\uFEFFBG_MAX_CONCURRENT=2\n");

            assertThatThrownBy(() -> ConfigLoader.load(Map.of(), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessageContaining("\\ufeffBG_MAX_CONCURRENT=2")
                    .hasMessageNotContaining("\uFEFF");
        }

        @Test
        void aQuotedValueOverSeveralLinesIsStillReportedOnOneLine() throws IOException {
            dotEnv("BG_MAX_CONCURRENT=\"2\n3\"\n");

            assertThatThrownBy(() -> ConfigLoader.load(Map.of(), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessageStartingWith("BG_MAX_CONCURRENT=2\\n3 is not allowed");
        }

        private void dotEnv(String content) throws IOException {
            Files.writeString(workingDirectory.resolve(".env"), content);
        }
    }

    @Nested
    class BadValues {

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource(delimiter = '|', textBlock = """
                BG_MAX_CONCURRENT   | abc           | a whole number from 1 to 2147483647
                BG_MAX_CONCURRENT   | 0             | a whole number from 1 to 2147483647
                BG_MAX_CONCURRENT   | -1            | a whole number from 1 to 2147483647
                BG_MAX_CONCURRENT   | 1.5           | a whole number from 1 to 2147483647
                BG_MAX_CONCURRENT   | 99999999999   | a whole number from 1 to 2147483647
                BG_MAX_CONCURRENT   | 1000000000000 | a whole number from 1 to 2147483647
                BG_MAX_CONCURRENT   | 2147483648    | a whole number from 1 to 2147483647
                BG_MAX_CONCURRENT   | 123456789012345678901234567890 | a whole number from 1 to 2147483647
                CLAUDE_CODE_TIMEOUT | abc           | a whole number from 1 to 2147483647
                CLAUDE_CODE_TIMEOUT | 0             | a whole number from 1 to 2147483647
                CLAUDE_CODE_TIMEOUT | 40m           | a whole number from 1 to 2147483647
                CLAUDE_CODE_TIMEOUT | 99999999999   | a whole number from 1 to 2147483647
                TELEGRAM_OWNER_ID   | abc           | a numeric Telegram user id, a whole number from 1 to 9223372036854775807
                TELEGRAM_OWNER_ID   | @someone      | a numeric Telegram user id, a whole number from 1 to 9223372036854775807
                TELEGRAM_OWNER_ID   | 99999999999999999999 | a numeric Telegram user id, a whole number from 1 to 9223372036854775807
                TELEGRAM_OWNER_ID   | 0             | a numeric Telegram user id, a whole number from 1 to 9223372036854775807
                TELEGRAM_MAX_UPDATE_AGE | 0         | a whole number from 1 to 2147483647
                TELEGRAM_MAX_UPDATE_AGE | 24h       | a whole number from 1 to 2147483647
                TELEGRAM_API_URL    | api.telegram.org | the http or https URL of a Bot API server, scheme, host and optional port only (such as http://127.0.0.1:8081)
                TELEGRAM_API_URL    | ftp://127.0.0.1 | the http or https URL of a Bot API server, scheme, host and optional port only (such as http://127.0.0.1:8081)
                TELEGRAM_API_URL    | http://127.0.0.1:8081/bot | the http or https URL of a Bot API server, scheme, host and optional port only (such as http://127.0.0.1:8081)
                TELEGRAM_API_URL    | http://:8081  | the http or https URL of a Bot API server, scheme, host and optional port only (such as http://127.0.0.1:8081)
                """)
        void aValueThatCannotBeUsedIsOneLineNamingTheVariableTheValueAndWhatIsAllowed(String name, String value,
                String allowed) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of(name, value), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessage(name + "=" + value + " is not allowed: it must be " + allowed);
        }

        @ParameterizedTest
        @CsvSource({"BG_MAX_CONCURRENT, 2147483647", "CLAUDE_CODE_TIMEOUT, 2147483647", "BG_MAX_CONCURRENT, +7",
                "BG_MAX_CONCURRENT, 007"})
        void theLargestValueOfTheRangeAndAWholeNumberWrittenOddlyAreAllowed(String name, String value) {
            OctoConfig config = ConfigLoader.load(Map.of(name, value), workingDirectory);

            long read = name.equals("BG_MAX_CONCURRENT") ? config.maxConcurrent() : config.claudeCodeTimeout().toSeconds();
            assertThat(read).isEqualTo(Long.parseLong(value));
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "4242", "123456:secret/../x", "123456:secret token", ":secret"})
        void aMalformedBotTokenIsRefusedWithoutRepeatingIt(String token) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("TELEGRAM_BOT_TOKEN", token, "TELEGRAM_OWNER_ID", "42"),
                    workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessageStartingWith("TELEGRAM_BOT_TOKEN is not allowed: it must be a token as @BotFather gives it")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
        }

        @Test
        void aBotTokenWithoutItsOwnerIsRefused() {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("TELEGRAM_BOT_TOKEN", "123456:abc-DEF_9"), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessageStartingWith("TELEGRAM_BOT_TOKEN is set but TELEGRAM_OWNER_ID is not");
        }

        @Test
        void anOwnerWithoutATokenLeavesTelegramOff() {
            OctoConfig config = ConfigLoader.load(Map.of("TELEGRAM_OWNER_ID", "42"), workingDirectory);

            assertThat(config.telegramEnabled()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://api.telegram.org", "http://127.0.0.1:8081/", "HTTP://localhost"})
        void aBotApiServerIsAnHttpOrHttpsUrlWithoutPath(String url) {
            assertThat(ConfigLoader.load(Map.of("TELEGRAM_API_URL", url), workingDirectory).telegramApiUrl())
                    .contains(url);
        }

        @Test
        void theLargestTelegramUserIdIsAllowed() {
            assertThat(ConfigLoader.load(Map.of("TELEGRAM_OWNER_ID", "9223372036854775807"), workingDirectory)
                    .telegramOwnerId()).contains(Long.MAX_VALUE);
        }

        @Test
        void aValueWithALineBreakIsStillReportedOnOneLine() {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("CLAUDE_CODE_TIMEOUT", "60\r\n0"), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessage("CLAUDE_CODE_TIMEOUT=60\\r\\n0 is not allowed: it must be a whole number from 1 to 2147483647");
        }

        @Test
        void theFirstBadValueStopsTheLoadEvenWhenOthersAreFine() {
            assertThatThrownBy(() -> ConfigLoader.load(
                    Map.of("BG_MAX_CONCURRENT", "2", "TELEGRAM_OWNER_ID", "@someone"), workingDirectory))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("TELEGRAM_OWNER_ID=@someone ");
        }
    }

    @Nested
    class StateFolder {

        @Test
        void aRelativeOctoDirIsUnderTheWorkingDirectory() {
            OctoConfig config = ConfigLoader.load(Map.of("OCTO_DIR", "state/octo"), workingDirectory);

            assertThat(config.octoDir()).isEqualTo(config.workingDirectory().resolve("state/octo"));
            assertThat(config.tasksDirectory()).isEqualTo(config.workingDirectory().resolve("state/octo/tasks"));
        }

        @Test
        void aRelativeOctoDirMayLeadOutOfTheWorkingDirectoryAndIsNormalized() {
            OctoConfig config = ConfigLoader.load(Map.of("OCTO_DIR", "../shared/./octo"), workingDirectory);

            assertThat(config.octoDir())
                    .isEqualTo(config.workingDirectory().getParent().resolve("shared/octo"))
                    .isAbsolute();
        }

        @Test
        void anAbsoluteOctoDirIsUsedAsItIs(@TempDir Path elsewhere) {
            OctoConfig config = ConfigLoader.load(Map.of("OCTO_DIR", elsewhere.toString()), workingDirectory);

            assertThat(config.octoDir()).isEqualTo(elsewhere);
            assertThat(config.workingDirectory()).isEqualTo(workingDirectory.toAbsolutePath().normalize());
        }

        @Test
        void aRelativeWorkingDirectoryIsMadeAbsolute() {
            OctoConfig config = ConfigLoader.load(Map.of(), Path.of(""));

            assertThat(config.workingDirectory()).isAbsolute().isEqualTo(Path.of("").toAbsolutePath());
            assertThat(config.octoDir()).isEqualTo(Path.of(".octo").toAbsolutePath());
        }

        @Test
        void preparingCreatesTheStateFolderWithItsTasksAndLogsFolders() {
            OctoConfig config = ConfigLoader.load(Map.of("OCTO_DIR", "not/yet/there"), workingDirectory);

            ConfigLoader.prepareStateFolder(config);

            assertThat(config.octoDir()).isDirectory();
            assertThat(config.tasksDirectory()).isDirectory();
            assertThat(config.logsDirectory()).isDirectory();
        }

        @Test
        void anOctoDirThatIsAFileIsOneLineNamingTheVariable() throws IOException {
            Path file = Files.writeString(workingDirectory.resolve("a-file"), "not a folder");
            OctoConfig config = ConfigLoader.load(Map.of("OCTO_DIR", file.toString()), workingDirectory);

            assertThatThrownBy(() -> ConfigLoader.prepareStateFolder(config))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("OCTO_DIR=" + file + " cannot be used: it is a file, not a folder");
        }

        @Test
        void anOctoDirThatCannotBeCreatedIsOneLineNamingTheVariable() throws IOException {
            Path file = Files.writeString(workingDirectory.resolve("a-file"), "not a folder");
            OctoConfig config = ConfigLoader.load(Map.of("OCTO_DIR", "a-file/octo"), workingDirectory);

            assertThatThrownBy(() -> ConfigLoader.prepareStateFolder(config))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessageStartingWith("OCTO_DIR=" + file.resolve("octo") + " cannot be used: it does not exist"
                            + " and cannot be created (");
        }

        @Test
        void anOctoDirUnderProcIsOneLineNamingTheVariable() {
            assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a /proc file system");
            OctoConfig config = ConfigLoader.load(Map.of("OCTO_DIR", "/proc/nope"), workingDirectory);

            assertThatThrownBy(() -> ConfigLoader.prepareStateFolder(config))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertOneLine(e.getMessage()))
                    .hasMessageStartingWith("OCTO_DIR=/proc/nope cannot be used: it does not exist and cannot be"
                            + " created (");
        }

        @Test
        void aTasksFolderThatIsAFileIsNamed() throws IOException {
            OctoConfig config = ConfigLoader.load(Map.of("OCTO_DIR", "state"), workingDirectory);
            Files.createDirectories(config.octoDir());
            Files.writeString(config.tasksDirectory(), "not a folder");

            assertThatThrownBy(() -> ConfigLoader.prepareStateFolder(config))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("OCTO_DIR=" + config.octoDir() + " cannot be used: " + config.tasksDirectory()
                            + " is a file, not a folder");
        }

        @Test
        void theDefaultStateFolderIsNamedWithTheVariableThatMovesIt() throws IOException {
            OctoConfig config = ConfigLoader.load(Map.of(), workingDirectory);
            Files.writeString(config.octoDir(), "not a folder");

            assertThatThrownBy(() -> ConfigLoader.prepareStateFolder(config))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("The state folder " + config.octoDir() + " cannot be used: it is a file, not a folder;"
                            + " set OCTO_DIR to another folder");
        }

        @Test
        void octoDirMayComeFromDotEnv() throws IOException {
            Files.writeString(workingDirectory.resolve(".env"), "OCTO_DIR=from-dotenv\n");

            assertThat(ConfigLoader.load(Map.of(), workingDirectory).octoDir())
                    .isEqualTo(workingDirectory.toAbsolutePath().normalize().resolve("from-dotenv"));
        }
    }

    @Test
    void noLlmProviderMeansNoneNotAnError() {
        assertThat(ConfigLoader.load(Map.of(), workingDirectory).llmProvider()).isEqualTo(Optional.empty());
    }

    @Test
    void aProviderOctoDoesNotKnowDoesNotStopTheStart() {
        // Octo starts without its LLM then, and says what to set when free text or an agent needs one
        assertThat(ConfigLoader.load(Map.of("OCTO_LLM_PROVIDER", "GPT"), workingDirectory).llmProvider()).contains("gpt");
    }

    static void assertOneLine(String message) {
        assertThat(message).isNotBlank().doesNotContain("\n").doesNotContain("\r");
    }
}
