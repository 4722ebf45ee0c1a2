package dev.octo.adapters.llm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.octo.application.port.out.CommandRunner;
import dev.octo.application.port.out.ProcessStartException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The tools an agent works with, all confined to its task's working directory
 * ({@link ConfinedDirectory}). A tool that cannot do what it is asked throws a {@link ToolRefusal}
 * that the model reads; what a tool returns is cut to {@link #MAX_RESULT_CHARS}.
 */
final class AgentTools {

    /** The most characters of a tool's result that go back to the model. */
    static final int MAX_RESULT_CHARS = 20_000;
    /** The largest file read_file, edit_file and search_files read. */
    static final long MAX_FILE_BYTES = 2 * 1024 * 1024;
    static final int MAX_LISTED = 1_000;
    static final int MAX_MATCHES = 200;
    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(10);
    static final Duration LONGEST_COMMAND_TIMEOUT = Duration.ofHours(1);

    private final ConfinedDirectory directory;
    private final CommandRunner commands;

    AgentTools(ConfinedDirectory directory, CommandRunner commands) {
        this.directory = requireNonNull(directory, "directory is null");
        this.commands = requireNonNull(commands, "commands is null");
    }

    @Tool(name = "read_file", value = "Reads a text file of the working directory.")
    String readFile(@P("path of the file, relative to the working directory") String path) {
        Path file = directory.resolve(path);
        return cut(readText(file, path));
    }

    @Tool(name = "list_files", value = "Lists the files and folders of a folder of the working directory, "
            + "recursively; folders end with '/'.")
    String listFiles(@P(value = "path of the folder, relative to the working directory; '.' for the working "
            + "directory itself", required = false) String path) {
        String asked = path == null || path.isBlank() ? "." : path;
        Path folder = directory.resolve(asked);
        if (!Files.isDirectory(folder)) {
            throw new ToolRefusal("'" + asked + "' is not a folder");
        }
        List<String> lines = new ArrayList<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (lines.size() >= MAX_LISTED) {
                        return FileVisitResult.TERMINATE;
                    }
                    if (!dir.equals(folder)) {
                        if (dir.getFileName().toString().equals(".git")) {
                            lines.add(directory.show(dir) + "/ (not listed)");
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        lines.add(directory.show(dir) + "/");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    lines.add(directory.show(file) + (attrs.isSymbolicLink() ? " (link)" : ""));
                    return lines.size() >= MAX_LISTED ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ToolRefusal("cannot list '" + asked + "': " + e.getMessage());
        }
        if (lines.isEmpty()) {
            return "'" + asked + "' is empty";
        }
        String listing = String.join("\n", lines);
        return cut(lines.size() >= MAX_LISTED ? listing + "\n[listing stopped at " + MAX_LISTED + " entries]" : listing);
    }

    @Tool(name = "search_files", value = "Searches the text files under a folder of the working directory for "
            + "lines that match a regular expression (Java syntax); answers path:line: text.")
    String searchFiles(@P("the regular expression") String pattern,
            @P(value = "folder to search, relative to the working directory; '.' by default", required = false)
            String path) {
        Pattern regex;
        try {
            regex = Pattern.compile(requireArgument(pattern, "pattern"));
        } catch (PatternSyntaxException e) {
            throw new ToolRefusal("not a valid regular expression: " + e.getMessage());
        }
        String asked = path == null || path.isBlank() ? "." : path;
        Path start = directory.resolve(asked);
        List<String> matches = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(file -> !directory.show(file).startsWith(".git/"))::iterator) {
                searchFile(file, regex, matches);
                if (matches.size() >= MAX_MATCHES) {
                    matches.add("[search stopped at " + MAX_MATCHES + " matching lines]");
                    break;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ToolRefusal("cannot search '" + asked + "': " + e.getMessage());
        }
        return matches.isEmpty() ? "no line matches" : cut(String.join("\n", matches));
    }

    private void searchFile(Path file, Pattern regex, List<String> matches) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return;
            }
            try (BufferedReader reader = Files.newBufferedReader(file, UTF_8)) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null && matches.size() < MAX_MATCHES) {
                    number++;
                    Matcher matcher = regex.matcher(line);
                    if (matcher.find()) {
                        matches.add(directory.show(file) + ":" + number + ": " + abbreviate(line, 300));
                    }
                }
            }
        } catch (IOException e) {
            // not text, or not readable: not searched
        }
    }

    @Tool(name = "write_file", value = "Writes a text file of the working directory, replacing it if it exists; "
            + "creates the folders it needs.")
    String writeFile(@P("path of the file, relative to the working directory") String path,
            @P("the whole content of the file") String content) {
        requireArgument(content, "content");
        Path file = directory.resolve(path);
        if (Files.isDirectory(file)) {
            throw new ToolRefusal("'" + path + "' is a folder");
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, UTF_8);
        } catch (IOException e) {
            throw new ToolRefusal("cannot write '" + path + "': " + e.getMessage());
        }
        return "wrote " + content.getBytes(UTF_8).length + " bytes to " + directory.show(file);
    }

    @Tool(name = "edit_file", value = "Replaces one exact piece of text of a file with another. The old text "
            + "must occur exactly once in the file: give enough of its surroundings to make it unique.")
    String editFile(@P("path of the file, relative to the working directory") String path,
            @P(name = "old_text", value = "the exact text to replace") String oldText,
            @P(name = "new_text", value = "the text to put in its place") String newText) {
        requireArgument(oldText, "old_text");
        requireArgument(newText, "new_text");
        if (oldText.isEmpty()) {
            throw new ToolRefusal("old_text is empty; to write a whole file use write_file");
        }
        Path file = directory.resolve(path);
        String text = readText(file, path);
        int first = text.indexOf(oldText);
        if (first < 0) {
            throw new ToolRefusal("old_text was not found in '" + path + "'; read the file and copy the text exactly");
        }
        if (text.indexOf(oldText, first + 1) >= 0) {
            throw new ToolRefusal("old_text occurs more than once in '" + path + "'; give more of its surroundings");
        }
        try {
            Files.writeString(file, text.substring(0, first) + newText + text.substring(first + oldText.length()), UTF_8);
        } catch (IOException e) {
            throw new ToolRefusal("cannot write '" + path + "': " + e.getMessage());
        }
        return "edited " + directory.show(file);
    }

    @Tool(name = "run_command", value = "Runs a shell command (/bin/sh -c) in the working directory with an empty "
            + "stdin and waits for it; answers its exit code and output (stdout and stderr together, cut when long). "
            + "Do not start servers or anything that runs for ever.")
    String runCommand(@P("the shell command") String command,
            @P(name = "timeout_seconds", value = "seconds it may run before it is killed; 600 by default",
                    required = false) Integer timeoutSeconds) {
        requireArgument(command, "command");
        Duration timeout = timeoutSeconds == null || timeoutSeconds < 1 ? DEFAULT_COMMAND_TIMEOUT
                : Duration.ofSeconds(timeoutSeconds);
        if (timeout.compareTo(LONGEST_COMMAND_TIMEOUT) > 0) {
            timeout = LONGEST_COMMAND_TIMEOUT;
        }
        CommandRunner.CommandResult result;
        try {
            result = commands.run(directory.root(), command, timeout, MAX_RESULT_CHARS);
        } catch (InterruptedException e) {
            // the task is stopped: the loop sees the interrupt once the tool returns
            Thread.currentThread().interrupt();
            return "the command was stopped: the task is stopping";
        } catch (ProcessStartException e) {
            throw new ToolRefusal(e.getMessage());
        }
        String head = result.exitCode().isPresent() ? "exit code " + result.exitCode().getAsInt()
                : "killed after " + timeout.toSeconds() + " s (its time ran out)";
        return cut(result.output().isEmpty() ? head + ", no output" : head + "\n" + result.output());
    }

    private static String readText(Path file, String path) {
        try {
            if (Files.isDirectory(file)) {
                throw new ToolRefusal("'" + path + "' is a folder; list_files lists it");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ToolRefusal("'" + path + "' is " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a tool reads; search_files or run_command (head, sed -n) read parts of it");
            }
            return Files.readString(file, UTF_8);
        } catch (NoSuchFileException e) {
            throw new ToolRefusal("'" + path + "' does not exist");
        } catch (MalformedInputException e) {
            throw new ToolRefusal("'" + path + "' is not UTF-8 text");
        } catch (IOException e) {
            throw new ToolRefusal("cannot read '" + path + "': " + e.getMessage());
        }
    }

    private static String requireArgument(String value, String name) {
        if (value == null) {
            throw new ToolRefusal("the argument " + name + " is missing");
        }
        return value;
    }

    /** {@code text} cut to {@link #MAX_RESULT_CHARS}, saying how much was left out. */
    static String cut(String text) {
        if (text.length() <= MAX_RESULT_CHARS) {
            return text;
        }
        return text.substring(0, MAX_RESULT_CHARS) + "\n[... " + (text.length() - MAX_RESULT_CHARS)
                + " more characters left out]";
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
