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
        requireNonNull(llmProvider, "llmProvider is null");
        requireNonNull(llmModel, "llmModel is null");
        requireNonNull(anthropicApiKey, "anthropicApiKey is null");
        requireNonNull(anthropicBaseUrl, "anthropicBaseUrl is null");
        requireNonNull(openAiApiKey, "openAiApiKey is null");
        requireNonNull(openAiBaseUrl, "openAiBaseUrl is null");
        requireNonNull(ollamaBaseUrl, "ollamaBaseUrl is null");
        requireNonNull(agentMaxTokens, "agentMaxTokens is null");
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
