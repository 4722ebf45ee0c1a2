package dev.octo.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentDefinitionsTest {

    @TempDir
    Path agents;

    private void define(String name, String text) throws Exception {
        Files.createDirectories(agents.resolve(name));
        Files.writeString(agents.resolve(name).resolve("AGENT.md"), text);
    }

    @Test
    void theDefaultAgentExistsWithoutAnyFile() {
        AgentDefinitions definitions = new AgentDefinitions(agents.resolve("none"));

        assertThat(definitions.agentNames()).containsExactly("default");
        assertThat(definitions.find("default")).contains(AgentDefinitions.DEFAULT);
    }

    @Test
    void anAgentIsReadFromItsFrontMatterAndBody() throws Exception {
        define("reviewer", """
                ---
                name: reviewer
                description: "Reviews code"
                model: big-model
                tools: [read_file, search_files]
                ---
                You review code.

                Be kind.
                """);

        AgentDefinition reviewer = new AgentDefinitions(agents).find("reviewer").orElseThrow();

        assertThat(reviewer).isEqualTo(new AgentDefinition("reviewer", "Reviews code", Optional.of("big-model"),
                Optional.of(List.of("read_file", "search_files")), "You review code.\n\nBe kind."));
    }

    @Test
    void toolsMayBeAListOfItemsOrACommaSeparatedLine() throws Exception {
        define("one", "---\ntools:\n  - read_file\n  - run_command\n---\nOne.\n");
        define("two", "---\ntools: read_file, list_files\n---\nTwo.\n");

        AgentDefinitions definitions = new AgentDefinitions(agents);

        assertThat(definitions.find("one").orElseThrow().tools()).contains(List.of("read_file", "run_command"));
        assertThat(definitions.find("two").orElseThrow().tools()).contains(List.of("read_file", "list_files"));
    }

    @Test
    void withoutToolsOrModelAnAgentHasAllToolsAndTheConfiguredModel() throws Exception {
        define("plain", "Just a prompt, no front matter.\n");

        AgentDefinition plain = new AgentDefinitions(agents).find("plain").orElseThrow();

        assertThat(plain.tools()).isEmpty();
        assertThat(plain.model()).isEmpty();
        assertThat(plain.systemPrompt()).isEqualTo("Just a prompt, no front matter.");
    }

    @Test
    void theKnownAgentsAreSortedAndAnUnreadableOneIsLeftOut() throws Exception {
        define("zeta", "---\nname: zeta\n---\nZ.\n");
        define("alpha", "---\nname: alpha\n---\nA.\n");
        define("broken", "---\nname: broken\nno end of the front matter\n");
        Files.createDirectories(agents.resolve("empty"));

        AgentDefinitions definitions = new AgentDefinitions(agents);

        assertThat(definitions.agentNames()).containsExactly("alpha", "default", "zeta");
        assertThat(definitions.find("broken")).isEmpty();
        assertThat(definitions.find("../zeta")).isEmpty();
    }

    @Test
    void aFileNamedDefaultReplacesTheBuiltInOne() throws Exception {
        define("default", "---\nname: default\n---\nMy own default.\n");

        assertThat(new AgentDefinitions(agents).find("default").orElseThrow().systemPrompt()).isEqualTo("My own default.");
    }
}
