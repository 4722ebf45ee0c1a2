package dev.octo.bootstrap;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the configuration once at start, from the environment and from a {@code .env} file in the
 * working directory; a variable set in the environment wins over the file. A value that cannot be
 * used stops the start with one line naming the variable, the value and what is allowed.
 */
public final class ConfigLoader {

    static final Set<String> PROVIDERS = Set.of("anthropic", "openai", "ollama");

    private ConfigLoader() {
    }

    /**
     * The configuration of an Octo started in {@code workingDirectory} with {@code environment}.
     *
     * @throws ConfigException when a value is not allowed or the .env file cannot be read
     */
    public static OctoConfig load(Map<String, String> environment, Path workingDirectory) {
        Path cwd = workingDirectory.toAbsolutePath().normalize();
        Map<String, String> values = new HashMap<>(dotEnv(cwd));
        environment.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value);
            }
        });
        Path octoDir = text(values, "OCTO_DIR").map(dir -> cwd.resolve(dir).normalize()).orElse(cwd.resolve(".octo"));
        return new OctoConfig(
                cwd,
                octoDir,
                positiveInt(values, "BG_MAX_CONCURRENT", 3),
                text(values, "ADDITIONAL_CLAUDE_ARGS").orElse(""),
                Duration.ofSeconds(positiveInt(values, "CLAUDE_CODE_TIMEOUT", 2_400)),
                text(values, "TELEGRAM_BOT_TOKEN"),
                text(values, "TELEGRAM_OWNER_ID").map(value -> longValue("TELEGRAM_OWNER_ID", value)),
                text(values, "TELEGRAM_API_URL"),
                text(values, "OCTO_LLM_PROVIDER").map(ConfigLoader::provider),
                text(values, "OCTO_LLM_MODEL"),
                text(values, "ANTHROPIC_API_KEY"),
                text(values, "OPENAI_API_KEY"),
                text(values, "OPENAI_BASE_URL"),
                text(values, "OLLAMA_BASE_URL"));
    }

    private static Map<String, String> dotEnv(Path cwd) {
        try {
            Dotenv dotenv = Dotenv.configure().directory(cwd.toString()).ignoreIfMissing().load();
            Map<String, String> entries = new HashMap<>();
            for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
                entries.put(entry.getKey(), entry.getValue());
            }
            return entries;
        } catch (DotenvException e) {
            throw new ConfigException("Cannot read " + cwd.resolve(".env") + ": " + e.getMessage());
        }
    }

    private static Optional<String> text(Map<String, String> values, String name) {
        return Optional.ofNullable(values.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int positiveInt(Map<String, String> values, String name, int fallback) {
        Optional<String> value = text(values, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name + "=" + value.get() + " is not allowed: it must be a whole number of 1 or more");
    }

    private static long longValue(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + value + " is not allowed: it must be a numeric Telegram user id");
        }
    }

    private static String provider(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        if (!PROVIDERS.contains(name)) {
            throw new ConfigException("OCTO_LLM_PROVIDER=" + value + " is not allowed: it must be anthropic, openai or ollama");
        }
        return name;
    }
}
