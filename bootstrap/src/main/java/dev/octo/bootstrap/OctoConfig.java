package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything Octo reads from its environment at start. See {@link ConfigLoader} for the variables.
 *
 * @param workingDirectory where Octo was started, and where tasks run
 * @param octoDir where state lives ({@code OCTO_DIR}, default {@code ./.octo})
 * @param telegramApiUrl the Bot API server, when not Telegram's: an http or https URL
 * @param telegramMaxUpdateAge how old a message or button press that waited for the bot may be and
 *     still be handled ({@code TELEGRAM_MAX_UPDATE_AGE}, seconds, default a day)
 * @param agentMaxTokens the token budget of an agent task whose dispatch sets none
 *     ({@code OCTO_AGENT_MAX_TOKENS}); empty for none
 */
public record OctoConfig(
        Path workingDirectory,
        Path octoDir,
        int maxConcurrent,
        String additionalClaudeArgs,
        Duration claudeCodeTimeout,
        Optional<String> telegramBotToken,
        Optional<Long> telegramOwnerId,
        Optional<String> telegramApiUrl,
        Duration telegramMaxUpdateAge,
        Optional<String> llmProvider,
        Optional<String> llmModel,
        Optional<String> anthropicApiKey,
        Optional<String> anthropicBaseUrl,
        Optional<String> openAiApiKey,
        Optional<String> openAiBaseUrl,
        Optional<String> ollamaBaseUrl,
        Optional<Long> agentMaxTokens) {

    public OctoConfig {
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(octoDir, "octoDir is null");
        requireNonNull(additionalClaudeArgs, "additionalClaudeArgs is null");
        requireNonNull(claudeCodeTimeout, "claudeCodeTimeout is null");
        requireNonNull(telegramBotToken, "telegramBotToken is null");
        requireNonNull(telegramOwnerId, "telegramOwnerId is null");
        requireNonNull(telegramApiUrl, "telegramApiUrl is null");
        requireNonNull(telegramMaxUpdateAge, "telegramMaxUpdateAge is null");
        requireNonNull(llmProvider, "llmProvider is null");
        requireNonNull(llmModel, "llmModel is null");
        requireNonNull(anthropicApiKey, "anthropicApiKey is null");
        requireNonNull(anthropicBaseUrl, "anthropicBaseUrl is null");
        requireNonNull(openAiApiKey, "openAiApiKey is null");
        requireNonNull(openAiBaseUrl, "openAiBaseUrl is null");
        requireNonNull(ollamaBaseUrl, "ollamaBaseUrl is null");
        requireNonNull(agentMaxTokens, "agentMaxTokens is null");
    }

    /** Whether the Telegram bot runs: a token and its owner are set (the loader refuses a token alone). */
    public boolean telegramEnabled() {
        return telegramBotToken.isPresent() && telegramOwnerId.isPresent();
    }

    public Path tasksDirectory() {
        return octoDir.resolve("tasks");
    }

    /** Where agents are defined, one folder each with its {@code AGENT.md}. */
    public Path agentsDirectory() {
        return octoDir.resolve("agents");
    }

    public Path logsDirectory() {
        return octoDir.resolve("logs");
    }
}
