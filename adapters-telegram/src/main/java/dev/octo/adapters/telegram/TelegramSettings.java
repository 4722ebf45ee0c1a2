package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the bot is configured with.
 *
 * @param token the bot's token ({@code TELEGRAM_BOT_TOKEN})
 * @param ownerId the Telegram user id of the owner ({@code TELEGRAM_OWNER_ID}), who is always
 *     authorized and may authorize others
 * @param apiUrl another Bot API server ({@code TELEGRAM_API_URL}): a self-hosted one, or a test's
 *     fake; empty means Telegram's
 * @param stateFolder where the bot keeps its files ({@code .octo/telegram/})
 * @param maxUpdateAge messages older than this when the bot gets them (sent while Octo was not
 *     running) are skipped
 */
public record TelegramSettings(String token, long ownerId, Optional<URI> apiUrl, Path stateFolder,
        Duration maxUpdateAge) {

    /** The age past which a message waiting for the bot is skipped, unless configured otherwise. */
    public static final Duration DEFAULT_MAX_UPDATE_AGE = Duration.ofHours(24);

    public TelegramSettings {
        requireNonNull(token, "token is null");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the bot token is blank");
        }
        requireNonNull(apiUrl, "apiUrl is null");
        requireNonNull(stateFolder, "stateFolder is null");
        requireNonNull(maxUpdateAge, "maxUpdateAge is null");
        if (maxUpdateAge.isNegative() || maxUpdateAge.isZero()) {
            throw new IllegalArgumentException("maxUpdateAge is positive, not " + maxUpdateAge);
        }
        apiUrl.ifPresent(uri -> {
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the Bot API URL has no host: " + uri);
            }
        });
    }

    /** Settings with Telegram's own server, the state in {@code octoDirectory/telegram} and the default age. */
    public static TelegramSettings of(String token, long ownerId, Path octoDirectory) {
        return new TelegramSettings(token, ownerId, Optional.empty(), octoDirectory.resolve("telegram"),
                DEFAULT_MAX_UPDATE_AGE);
    }

    /** These settings with the Bot API server at {@code url}. */
    public TelegramSettings withApiUrl(URI url) {
        return new TelegramSettings(token, ownerId, Optional.of(url), stateFolder, maxUpdateAge);
    }

    /** These settings, skipping messages older than {@code age}. */
    public TelegramSettings withMaxUpdateAge(Duration age) {
        return new TelegramSettings(token, ownerId, apiUrl, stateFolder, age);
    }

    /** The token stays out of logs and error messages. */
    @Override
    public String toString() {
        return "TelegramSettings[token=***, ownerId=" + ownerId + ", apiUrl=" + apiUrl + ", stateFolder="
                + stateFolder + ", maxUpdateAge=" + maxUpdateAge + "]";
    }
}
