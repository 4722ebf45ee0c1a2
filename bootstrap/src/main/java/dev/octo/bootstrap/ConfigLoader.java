package dev.octo.bootstrap;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration once at start, from the environment and from a {@code .env} file in the
 * working directory; a variable set in the environment wins over the file. A value that cannot be
 * used stops the start with one line naming the variable, the value and what is allowed.
 */
public final class ConfigLoader {

    /** The start of a line that sets a variable, as far as can be told without parsing quotes. */
    private static final Pattern SETTING = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");
    /** What @BotFather gives: the bot's id, a colon, a secret; it goes into every request's path. */
    private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]+:[A-Za-z0-9_-]+");
    static final Duration DEFAULT_TELEGRAM_MAX_UPDATE_AGE = Duration.ofHours(24);

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
        Optional<String> botToken = text(values, "TELEGRAM_BOT_TOKEN").map(ConfigLoader::botToken);
        Optional<Long> ownerId = text(values, "TELEGRAM_OWNER_ID").map(value -> longValue("TELEGRAM_OWNER_ID", value));
        if (botToken.isPresent() && ownerId.isEmpty()) {
            throw new ConfigException("TELEGRAM_BOT_TOKEN is set but TELEGRAM_OWNER_ID is not: the bot needs its "
                    + "owner's numeric Telegram user id (or unset the token to run without Telegram)");
        }
        return new OctoConfig(
                cwd,
                octoDir,
                positiveInt(values, "BG_MAX_CONCURRENT", 3),
                text(values, "ADDITIONAL_CLAUDE_ARGS").orElse(""),
                Duration.ofSeconds(positiveInt(values, "CLAUDE_CODE_TIMEOUT", 2_400)),
                botToken,
                ownerId,
                text(values, "TELEGRAM_API_URL").map(ConfigLoader::apiUrl),
                Duration.ofSeconds(positiveInt(values, "TELEGRAM_MAX_UPDATE_AGE",
                        (int) DEFAULT_TELEGRAM_MAX_UPDATE_AGE.toSeconds())),
                // a provider Octo does not know is no reason not to start: see LlmModule
                text(values, "OCTO_LLM_PROVIDER").map(value -> value.toLowerCase(Locale.ROOT)),
                text(values, "OCTO_LLM_MODEL"),
                text(values, "ANTHROPIC_API_KEY"),
                text(values, "ANTHROPIC_BASE_URL"),
                text(values, "OPENAI_API_KEY"),
                text(values, "OPENAI_BASE_URL"),
                text(values, "OLLAMA_BASE_URL"),
                text(values, "OCTO_AGENT_MAX_TOKENS").map(value -> wholeNumber("OCTO_AGENT_MAX_TOKENS", value, 1,
                        Long.MAX_VALUE, "a number of tokens, a whole number")));
    }

    /**
     * Makes sure that the state folder of {@code config} and its {@code tasks} and {@code logs}
     * folders are folders that can be written, creating those that are missing, so that a folder Octo
     * cannot use stops the start with one line before anything else (the lock, the log) is set up
     * in it.
     *
     * @throws ConfigException naming OCTO_DIR and what is wrong with the folder
     */
    public static void prepareStateFolder(OctoConfig config) {
        for (Path folder : List.of(config.octoDir(), config.tasksDirectory(), config.logsDirectory())) {
            Optional<String> problem = problemWith(folder, folder.equals(config.octoDir()) ? "it" : folder.toString());
            if (problem.isPresent()) {
                boolean byDefault = config.octoDir().equals(config.workingDirectory().resolve(".octo"));
                throw new ConfigException(byDefault
                        ? "The state folder " + oneLine(config.octoDir().toString()) + " cannot be used: "
                                + oneLine(problem.get()) + "; set OCTO_DIR to another folder"
                        : "OCTO_DIR=" + oneLine(config.octoDir().toString()) + " cannot be used: " + oneLine(problem.get()));
            }
        }
    }

    private static Optional<String> problemWith(Path folder, String name) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            return Optional.of(name + " is a file, not a folder");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            return Optional.of(name + " does not exist and cannot be created (" + reason(e) + ")");
        }
        // access(2): also false on a read-only file system, even for root
        if (!Files.isWritable(folder)) {
            return Optional.of(name + " is not writable");
        }
        return Optional.empty();
    }

    private static String reason(IOException e) {
        return switch (e) {
            case AccessDeniedException denied -> "permission denied";
            case NoSuchFileException missing -> "no such file or folder";
            case FileAlreadyExistsException inTheWay -> inTheWay.getFile() + " is in the way";
            case FileSystemException other when other.getReason() != null -> other.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }

    private static Map<String, String> dotEnv(Path cwd) {
        // without one, the library would look for a .env on the class path instead: not Octo's
        // settings, and opening every jar to look takes a good part of the start
        if (Files.notExists(cwd.resolve(".env"), LinkOption.NOFOLLOW_LINKS)) {
            return Map.of();
        }
        try {
            Dotenv dotenv = Dotenv.configure().directory(cwd.toString()).ignoreIfMissing().load();
            Map<String, String> entries = new HashMap<>();
            for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
                entries.put(entry.getKey(), unquoted(entry.getValue()));
            }
            checkEverySettingWasRead(cwd.resolve(".env"), entries);
            return entries;
        } catch (DotenvException e) {
            // the library quotes the offending text, which may run over several lines
            throw new ConfigException("Cannot read " + cwd.resolve(".env") + ": " + oneLine(e.getMessage()));
        }
    }

    /**
     * Refuses a file in which a setting was silently lost. dotenv-java reads a double quote that is
     * never closed as the start of a value that runs to the end of the file, and then drops that
     * value and every setting after it without a word.
     */
    private static void checkEverySettingWasRead(Path file, Map<String, String> entries) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return; // no file, or one dotenv-java read in its own way: nothing to compare
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher setting = SETTING.matcher(line);
            if (setting.find() && !entries.containsKey(setting.group(1))
                    // a line of a value quoted over several lines is no setting of its own
                    && entries.values().stream().noneMatch(value -> value.contains(line.strip()))) {
                throw new ConfigException("Cannot read " + file + ": " + setting.group(1) + " on line " + (i + 1)
                        + " was not read; is a quote left open on that line or above it?");
            }
        }
    }

    /**
     * A value without the single quotes around it: dotenv-java removes double quotes but keeps
     * single ones, which other dotenv readers and the shell remove, and which would otherwise end
     * up inside the commands that ADDITIONAL_CLAUDE_ARGS is put into.
     */
    private static String unquoted(String value) {
        String stripped = value.strip();
        if (stripped.length() >= 2 && stripped.startsWith("'") && stripped.endsWith("'")) {
            return stripped.substring(1, stripped.length() - 1);
        }
        return value;
    }

    /**
     * {@code text} on one line, with line breaks and other invisible characters escaped, so that a
     * value from a quoted .env entry or an odd environment still gives one readable line.
     */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    private static Optional<String> text(Map<String, String> values, String name) {
        return Optional.ofNullable(values.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int positiveInt(Map<String, String> values, String name, int fallback) {
        return text(values, name)
                .map(value -> (int) wholeNumber(name, value, 1, Integer.MAX_VALUE, "a whole number"))
                .orElse(fallback);
    }

    private static long longValue(String name, String value) {
        return wholeNumber(name, value, 1, Long.MAX_VALUE, "a numeric Telegram user id, a whole number");
    }

    /**
     * {@code value} as a whole number from {@code min} to {@code max}; refused with the range, also
     * when it is a whole number too large for the type it is read into.
     */
    private static long wholeNumber(String name, String value, long min, long max, String what) {
        // past 19 digits it is out of any range here; and BigInteger is not handed a huge string
        if (WHOLE_NUMBER.matcher(value).matches() && value.length() <= 20) {
            BigInteger number = new BigInteger(value);
            if (number.compareTo(BigInteger.valueOf(min)) >= 0 && number.compareTo(BigInteger.valueOf(max)) <= 0) {
                return number.longValueExact();
            }
        }
        throw new ConfigException(name + "=" + oneLine(value) + " is not allowed: it must be " + what + " from "
                + min + " to " + max);
    }

    /** The token itself is a secret: a refusal does not repeat it, not even in the log of a service manager. */
    private static String botToken(String value) {
        if (!BOT_TOKEN.matcher(value).matches()) {
            throw new ConfigException("TELEGRAM_BOT_TOKEN is not allowed: it must be a token as @BotFather gives it, "
                    + "digits, a colon and letters, digits, - or _ (such as 123456789:AAF3...)");
        }
        return value;
    }

    private static String apiUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
                    && uri.getQuery() == null && uri.getFragment() == null && uri.getUserInfo() == null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // refused below, as every other value that is no such URL
        }
        throw new ConfigException("TELEGRAM_API_URL=" + oneLine(value) + " is not allowed: it must be the http or https "
                + "URL of a Bot API server, scheme, host and optional port only (such as http://127.0.0.1:8081)");
    }

}
