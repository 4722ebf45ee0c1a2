package dev.octo.adapters.llm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.AgentCatalogue;
import dev.octo.domain.AgentSpec;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The agents defined in {@code <agents>/<name>/AGENT.md}, and the built-in {@code default} (which a
 * file of that name replaces). A file opens with front matter between two {@code ---} lines:
 * {@code name}, {@code description}, {@code model} (optional) and {@code tools} (optional: a
 * {@code [a, b]} list, a comma-separated line, or {@code - a} items); the rest of the file is the
 * system prompt. The folder's name is the agent's name. The files are read at every call, so that an
 * agent written meanwhile is known; one that cannot be read is left out and logged.
 */
public final class AgentDefinitions implements AgentCatalogue {

    private static final System.Logger LOG = System.getLogger(AgentDefinitions.class.getName());
    static final String FILE_NAME = "AGENT.md";
    /** The largest AGENT.md read: a system prompt, not a book. */
    private static final long MAX_FILE_BYTES = 256 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    static final AgentDefinition DEFAULT = new AgentDefinition(AgentSpec.DEFAULT_AGENT,
            "A general agent that reads, searches, edits files and runs commands in the task's folder",
            Optional.empty(), Optional.empty(), """
            You are an autonomous software agent. Work step by step with your tools: look before you \
            change anything, make small precise edits, and check your work (run the tests or the \
            program when there are any).""");

    private final Path agentsDirectory;

    /** Reads the agents under {@code agentsDirectory} ({@code .octo/agents}), which need not exist. */
    public AgentDefinitions(Path agentsDirectory) {
        this.agentsDirectory = requireNonNull(agentsDirectory, "agentsDirectory is null");
    }

    @Override
    public List<String> agentNames() {
        return List.copyOf(all().keySet());
    }

    /** Every known agent, by name, sorted. */
    public Map<String, AgentDefinition> all() {
        Map<String, AgentDefinition> agents = new TreeMap<>();
        agents.put(DEFAULT.name(), DEFAULT);
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(agentsDirectory, Files::isDirectory)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (!NAME.matcher(name).matches()) {
                    continue;
                }
                read(name, folder.resolve(FILE_NAME)).ifPresent(agent -> agents.put(name, agent));
            }
        } catch (NoSuchFileException e) {
            // no agents defined: the default alone
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list the agents in " + agentsDirectory, e);
        }
        return agents;
    }

    /** The agent {@code name}, or empty when none is known by that name. */
    public Optional<AgentDefinition> find(String name) {
        requireNonNull(name, "name is null");
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Optional<AgentDefinition> defined = read(name, agentsDirectory.resolve(name).resolve(FILE_NAME));
        if (defined.isPresent() || !name.equals(DEFAULT.name())) {
            return defined;
        }
        return Optional.of(DEFAULT);
    }

    private static Optional<AgentDefinition> read(String name, Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                LOG.log(Level.WARNING, "{0} is larger than {1} bytes: agent {2} is left out", file, MAX_FILE_BYTES, name);
                return Optional.empty();
            }
            return Optional.of(parse(name, Files.readString(file, UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot read agent " + name + " from " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The agent {@code name} that {@code text}, an AGENT.md, defines.
     *
     * @throws IllegalArgumentException when its front matter is not closed
     */
    static AgentDefinition parse(String name, String text) {
        String normalized = text.replace("\r\n", "\n");
        if (normalized.startsWith("\uFEFF")) {
            normalized = normalized.substring(1);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> toolItems = new ArrayList<>();
        String body = normalized;
        if (normalized.startsWith("---\n")) {
            int end = normalized.indexOf("\n---", 3);
            if (end < 0) {
                throw new IllegalArgumentException("its front matter has no closing ---");
            }
            String frontMatter = normalized.substring(4, end);
            int bodyStart = normalized.indexOf('\n', end + 4);
            body = bodyStart < 0 ? "" : normalized.substring(bodyStart + 1);
            String lastKey = null;
            for (String line : frontMatter.split("\n")) {
                String stripped = line.strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) {
                    continue;
                }
                if (stripped.startsWith("- ") && "tools".equals(lastKey)) {
                    toolItems.add(unquote(stripped.substring(2).strip()));
                    continue;
                }
                int colon = stripped.indexOf(':');
                if (colon > 0) {
                    lastKey = stripped.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    fields.put(lastKey, unquote(stripped.substring(colon + 1).strip()));
                }
            }
        }
        String declared = fields.getOrDefault("name", "");
        if (!declared.isEmpty() && !declared.equals(name)) {
            LOG.log(Level.WARNING, "agent folder {0} names itself {1}; it is known as {0}", name, declared);
        }
        Optional<List<String>> tools = Optional.empty();
        String toolsField = fields.getOrDefault("tools", "");
        if (!toolItems.isEmpty()) {
            tools = Optional.of(toolItems);
        } else if (!toolsField.isEmpty()) {
            String list = toolsField.startsWith("[") && toolsField.endsWith("]")
                    ? toolsField.substring(1, toolsField.length() - 1) : toolsField;
            tools = Optional.of(Arrays.stream(list.split(",")).map(String::strip).map(AgentDefinitions::unquote)
                    .filter(tool -> !tool.isEmpty()).toList());
        }
        return new AgentDefinition(name, fields.getOrDefault("description", ""),
                Optional.ofNullable(fields.get("model")).filter(model -> !model.isEmpty()), tools, body.strip());
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
