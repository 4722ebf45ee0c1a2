package dev.octo.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octo.application.port.out.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's tools on real files, each confined to the working directory. */
class AgentToolsTest {

    @TempDir
    Path root;

    private Path work;
    private Path outside;
    private final List<String> commandsRun = new CopyOnWriteArrayList<>();
    private final CommandRunner commands = (directory, command, timeout, maxOutputBytes) -> {
        commandsRun.add(directory + " " + command + " " + timeout.toSeconds());
        return new CommandRunner.CommandResult(OptionalInt.of(2), "it broke\n", 0);
    };
    private AgentTools tools;

    @BeforeEach
    void folders() throws Exception {
        work = Files.createDirectories(root.resolve("work"));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "s3cr3t");
        tools = new AgentTools(new ConfinedDirectory(work), commands);
    }

    @Nested
    class Paths {

        @Test
        void insideTheDirectoryAreReadAndWritten() {
            assertThat(tools.writeFile("src/notes.txt", "hello\n")).isEqualTo("wrote 6 bytes to src/notes.txt");
            assertThat(tools.readFile("src/../src/notes.txt")).isEqualTo("hello\n");
        }

        @Test
        void throughDotDotAreRefused() {
            assertThatThrownBy(() -> tools.readFile("../outside/secret.txt"))
                    .isInstanceOf(ToolRefusal.class).hasMessageContaining("outside the task's working directory");
            assertThatThrownBy(() -> tools.writeFile("../outside/planted.txt", "x")).isInstanceOf(ToolRefusal.class);
            assertThat(outside.resolve("planted.txt")).doesNotExist();
        }

        @Test
        void absoluteOnesElsewhereAreRefused() {
            assertThatThrownBy(() -> tools.readFile(outside.resolve("secret.txt").toString()))
                    .isInstanceOf(ToolRefusal.class);
        }

        @Test
        void throughASymbolicLinkOutAreRefused() throws Exception {
            Files.createSymbolicLink(work.resolve("out"), outside);
            Files.createSymbolicLink(work.resolve("secret-link.txt"), outside.resolve("secret.txt"));

            assertThatThrownBy(() -> tools.readFile("out/secret.txt")).isInstanceOf(ToolRefusal.class);
            assertThatThrownBy(() -> tools.readFile("secret-link.txt")).isInstanceOf(ToolRefusal.class);
            assertThatThrownBy(() -> tools.editFile("secret-link.txt", "s3cr3t", "x")).isInstanceOf(ToolRefusal.class);
            assertThatThrownBy(() -> tools.listFiles("out")).isInstanceOf(ToolRefusal.class);
            assertThatThrownBy(() -> tools.searchFiles("s3cr3t", "out")).isInstanceOf(ToolRefusal.class);
            assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("s3cr3t");
        }

        @Test
        void throughASymbolicLinkInsideAreFollowed() throws Exception {
            Files.writeString(work.resolve("real.txt"), "real");
            Files.createSymbolicLink(work.resolve("alias.txt"), work.resolve("real.txt"));

            assertThat(tools.readFile("alias.txt")).isEqualTo("real");
        }
    }

    @Nested
    class EditFile {

        @Test
        void replacesTheOneOccurrence() throws Exception {
            Files.writeString(work.resolve("a.txt"), "one two three");

            assertThat(tools.editFile("a.txt", "two", "2")).isEqualTo("edited a.txt");
            assertThat(Files.readString(work.resolve("a.txt"))).isEqualTo("one 2 three");
        }

        @Test
        void refusesTextThatIsNotThere() throws Exception {
            Files.writeString(work.resolve("a.txt"), "one two three");

            assertThatThrownBy(() -> tools.editFile("a.txt", "four", "4")).isInstanceOf(ToolRefusal.class)
                    .hasMessageContaining("not found");
        }

        @Test
        void refusesTextThatIsNotUnique() throws Exception {
            Files.writeString(work.resolve("a.txt"), "two two");

            assertThatThrownBy(() -> tools.editFile("a.txt", "two", "2")).isInstanceOf(ToolRefusal.class)
                    .hasMessageContaining("more than once");
            assertThat(Files.readString(work.resolve("a.txt"))).isEqualTo("two two");
        }
    }

    @Nested
    class ListingAndSearching {

        @Test
        void listFilesShowsFilesAndFoldersRelativeToTheDirectory() throws Exception {
            Files.createDirectories(work.resolve("src/main"));
            Files.writeString(work.resolve("src/main/App.java"), "class App {}");
            Files.writeString(work.resolve("README"), "read me");

            assertThat(tools.listFiles(".").lines()).containsExactlyInAnyOrder("src/", "src/main/",
                    "src/main/App.java", "README");
        }

        @Test
        void searchFilesFindsLinesByRegularExpression() throws Exception {
            Files.createDirectories(work.resolve("src"));
            Files.writeString(work.resolve("src/a.txt"), "alpha\nbeta 42\ngamma\n");
            Files.writeString(work.resolve("b.txt"), "delta 7\n");

            assertThat(tools.searchFiles("\\d+", null).lines())
                    .containsExactlyInAnyOrder("src/a.txt:2: beta 42", "b.txt:1: delta 7");
            assertThat(tools.searchFiles("zeta", ".")).isEqualTo("no line matches");
        }

        @Test
        void aBadRegularExpressionIsRefused() {
            assertThatThrownBy(() -> tools.searchFiles("(unclosed", ".")).isInstanceOf(ToolRefusal.class)
                    .hasMessageStartingWith("not a valid regular expression");
        }
    }

    @Nested
    class Output {

        @Test
        void aLongResultIsCutSayingHowMuchWasLeftOut() throws Exception {
            Files.writeString(work.resolve("big.txt"), "x".repeat(AgentTools.MAX_RESULT_CHARS + 500));

            String read = tools.readFile("big.txt");

            assertThat(read).hasSizeLessThan(AgentTools.MAX_RESULT_CHARS + 100)
                    .endsWith("[... 500 more characters left out]");
        }

        @Test
        void runCommandRunsInTheDirectoryAndAnswersTheExitAndOutput() throws Exception {
            assertThat(tools.runCommand("make test", 30)).isEqualTo("exit code 2\nit broke\n");
            assertThat(commandsRun).containsExactly(work.toRealPath() + " make test 30");
        }

        @Test
        void runCommandHasADefaultTimeout() {
            tools.runCommand("make", null);

            assertThat(commandsRun).singleElement().asString().endsWith(" " + Duration.ofMinutes(10).toSeconds());
        }
    }
}
