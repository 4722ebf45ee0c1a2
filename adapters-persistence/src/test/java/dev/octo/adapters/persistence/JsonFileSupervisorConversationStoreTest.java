package dev.octo.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octo.application.port.out.ConversationStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileSupervisorConversationStoreTest {

    @TempDir
    Path dir;

    @Test
    void aStoreOpenedLaterOnTheSameFolderLoadsTheConversation() {
        new JsonFileSupervisorConversationStore(dir).save("telegram:42", ConversationStoreContract.CONVERSATION);

        JsonFileSupervisorConversationStore reopened = new JsonFileSupervisorConversationStore(dir);

        assertThat(reopened.load("telegram:42")).contains(ConversationStoreContract.CONVERSATION);
        assertThat(reopened.channels()).containsExactly("telegram:42");
    }

    @Test
    void theFileIsNamedSafelyFromTheChannelAndHoldsTheChannelAndTheText() throws IOException {
        new JsonFileSupervisorConversationStore(dir).save("telegram:42", "[{\"type\":\"USER\"}]");
        new JsonFileSupervisorConversationStore(dir).save("cli", "[]");

        JsonNode file = new ObjectMapper().readTree(dir.resolve("telegram_3a42.json").toFile());

        assertThat(file.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(file.get("channel").asText()).isEqualTo("telegram:42");
        assertThat(file.get("conversation").asText()).isEqualTo("[{\"type\":\"USER\"}]");
        assertThat(dir.resolve("cli.json")).exists();
    }

    @Test
    void noChannelNameLeavesTheFolder() {
        for (String channel : new String[] {"../../etc/passwd", "/abs", "..", ".", "", "a\u0000b"}) {
            String name = JsonFileSupervisorConversationStore.fileName(channel);

            assertThat(name).as(channel).matches("[a-z0-9_~-]+\\.json");
            assertThat(dir.resolve(name).getParent()).isEqualTo(dir);
        }
    }

    @Test
    void aCorruptConversationLoadsEmptyIsMovedAsideAndIsNotListed() throws IOException {
        Files.writeString(dir.resolve("cli.json"), "{\"schemaVersion\":1,\"chan");
        JsonFileSupervisorConversationStore store = new JsonFileSupervisorConversationStore(dir);

        assertThat(store.channels()).isEmpty();
        assertThat(store.load("cli")).isEmpty();

        assertThat(dir.resolve("cli.json")).doesNotExist();
        assertThat(dir.resolve("cli.json.corrupt")).exists();
    }

    @Test
    void aConversationOfAnotherChannelIsNotLoaded() throws IOException {
        new JsonFileSupervisorConversationStore(dir).save("telegram:7", "someone else's");
        Files.move(dir.resolve("telegram_3a7.json"), dir.resolve("cli.json"));

        assertThat(new JsonFileSupervisorConversationStore(dir).load("cli")).isEmpty();
        assertThat(dir.resolve("cli.json.corrupt")).exists();
    }

    @Test
    void openingTheStoreDeletesATemporaryFileACrashLeftBehind() throws IOException {
        Files.writeString(dir.resolve(".cli.json.tmp"), "half written");

        new JsonFileSupervisorConversationStore(dir);

        assertThat(dir.resolve(".cli.json.tmp")).doesNotExist();
    }
}
