package dev.octo.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octo.application.port.out.ConversationStoreContract;
import dev.octo.application.port.out.StoreException;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class JsonFileConversationStoreTest {

    private static final TaskId ID = TaskId.of("agnt0001");

    @TempDir
    Path dir;

    @Test
    void aStoreOpenedLaterOnTheSameFolderLoadsTheConversation() {
        new JsonFileConversationStore(dir).save(ID, ConversationStoreContract.CONVERSATION);

        assertThat(new JsonFileConversationStore(dir).load(ID)).contains(ConversationStoreContract.CONVERSATION);
    }

    @Test
    void theFileHoldsTheSchemaVersionTheTaskIdAndTheText() throws IOException {
        new JsonFileConversationStore(dir).save(ID, "[{\"type\":\"USER\"}]");

        JsonNode file = new ObjectMapper().readTree(dir.resolve("agnt0001.conversation.json").toFile());

        assertThat(file.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(file.get("taskId").asText()).isEqualTo("agnt0001");
        assertThat(file.get("conversation").asText()).isEqualTo("[{\"type\":\"USER\"}]");
    }

    @Test
    void aDeletedConversationLeavesNoFileAndTheTaskFileAlone() throws IOException {
        Files.writeString(dir.resolve("agnt0001.json"), "the task's own file");
        new JsonFileConversationStore(dir).save(ID, ConversationStoreContract.CONVERSATION);

        new JsonFileConversationStore(dir).delete(ID);

        assertThat(dir.resolve("agnt0001.conversation.json")).doesNotExist();
        assertThat(dir.resolve("agnt0001.json")).hasContent("the task's own file");
        assertThat(new JsonFileConversationStore(dir).load(ID)).isEmpty();
    }

    @Test
    void aCorruptConversationLoadsEmptyAndIsMovedAside() throws IOException {
        Files.writeString(dir.resolve("agnt0001.conversation.json"), "{\"schemaVersion\":1,\"taskId\":\"agn");
        JsonFileConversationStore store = new JsonFileConversationStore(dir);

        assertThat(store.load(ID)).isEmpty();

        assertThat(dir.resolve("agnt0001.conversation.json")).doesNotExist();
        assertThat(dir.resolve("agnt0001.conversation.json.corrupt")).exists();
    }

    @Test
    void aConversationOfAnotherTaskIsNotLoadedAndIsMovedAside() throws IOException {
        new JsonFileConversationStore(dir).save(TaskId.of("othr0001"), "someone else's");
        Files.move(dir.resolve("othr0001.conversation.json"), dir.resolve("agnt0001.conversation.json"));

        assertThat(new JsonFileConversationStore(dir).load(ID)).isEmpty();
        assertThat(dir.resolve("agnt0001.conversation.json.corrupt")).exists();
    }

    @Test
    void aNewerSchemaVersionIsNotLoaded() throws IOException {
        Files.writeString(dir.resolve("agnt0001.conversation.json"),
                "{\"schemaVersion\":2,\"taskId\":\"agnt0001\",\"conversation\":\"x\"}");

        assertThat(new JsonFileConversationStore(dir).load(ID)).isEmpty();
        assertThat(dir.resolve("agnt0001.conversation.json.corrupt")).exists();
    }

    @Test
    void aConversationCanBeSavedAgainAfterItWasMovedAside() throws IOException {
        Files.writeString(dir.resolve("agnt0001.conversation.json"), "garbage");
        JsonFileConversationStore store = new JsonFileConversationStore(dir);
        assertThat(store.load(ID)).isEmpty();

        store.save(ID, "a fresh start");

        assertThat(store.load(ID)).contains("a fresh start");
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        Files.writeString(dir.resolve("agnt0001.conversation.json"),
                "{\"schemaVersion\":1,\"taskId\":\"agnt0001\",\"conversation\":\"hi\",\"model\":\"big\"}");

        assertThat(new JsonFileConversationStore(dir).load(ID)).contains("hi");
    }

    @Test
    void temporaryFilesLeftByACrashAreDeletedOnOpenAndTaskFilesAreLeftAlone() throws IOException {
        Files.writeString(dir.resolve(".agnt0001.conversation.json.tmp"), "[");
        Files.writeString(dir.resolve(".agnt0001.json.tmp"), "a task store's own");
        Files.writeString(dir.resolve("agnt0001.json"), "a task");

        new JsonFileConversationStore(dir);

        assertThat(dir.resolve(".agnt0001.conversation.json.tmp")).doesNotExist();
        assertThat(dir.resolve(".agnt0001.json.tmp")).exists();
        assertThat(dir.resolve("agnt0001.json")).hasContent("a task");
    }

    /** A save right after the store opened waits for the cleaning, which would delete its temporary file. */
    @Test
    void cleanedInTheBackgroundLeftoversGoAndASaveAtOnceIsKept() throws IOException {
        for (int n = 0; n < 2000; n++) {
            Files.writeString(dir.resolve(String.format("t%07d.json", n)), "a task");
        }
        Files.writeString(dir.resolve(".agnt0001.conversation.json.tmp"), "[");
        Files.writeString(dir.resolve(".agnt0001.json.tmp"), "a task store's own");

        JsonFileConversationStore store = JsonFileConversationStore.cleaningInBackground(dir);
        store.save(ID, "{\"turns\":1}");

        assertThat(dir.resolve(".agnt0001.conversation.json.tmp")).doesNotExist();
        assertThat(dir.resolve(".agnt0001.json.tmp")).exists();
        assertThat(store.load(ID)).contains("{\"turns\":1}");
        assertThat(JsonFileConversationStore.cleaningInBackground(dir).load(ID)).contains("{\"turns\":1}");
    }

    @Test
    void aMegabyteConversationRoundTrips() {
        String big = "{\"text\":\"" + "ünïcödé 😀 ".repeat(100_000) + "\"}";

        new JsonFileConversationStore(dir).save(ID, big);

        assertThat(new JsonFileConversationStore(dir).load(ID)).contains(big);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoLoadsAsNoConversationWithoutBeingOpenedAndIsMovedAside() throws Exception {
        JsonFileTaskStoreTest.mkfifo(dir.resolve("agnt0001.conversation.json"));

        assertThat(new JsonFileConversationStore(dir).load(ID)).isEmpty();
        assertThat(dir.resolve("agnt0001.conversation.json")).doesNotExist();
        assertThat(Files.readAttributes(dir.resolve("agnt0001.conversation.json.corrupt"), BasicFileAttributes.class)
                .isOther()).isTrue();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSymbolicLinkLoadsAsNoConversationWithoutBeingFollowedAndIsMovedAside() throws IOException {
        Files.createSymbolicLink(dir.resolve("agnt0001.conversation.json"), Path.of("/dev/zero"));

        assertThat(new JsonFileConversationStore(dir).load(ID)).isEmpty();
        assertThat(Files.isSymbolicLink(dir.resolve("agnt0001.conversation.json.corrupt"))).isTrue();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFileLargerThanTheBoundLoadsAsNoConversationUnreadAndIsMovedAside() throws IOException {
        try (RandomAccessFile big = new RandomAccessFile(dir.resolve("agnt0001.conversation.json").toFile(), "rw")) {
            big.setLength(6L << 30); // sparse: no disk is used
        }

        assertThat(new JsonFileConversationStore(dir).load(ID)).isEmpty();
        assertThat(dir.resolve("agnt0001.conversation.json.corrupt")).exists();
    }

    @Test
    void aConversationTooLargeToBeReadBackIsNotSaved() {
        JsonFileConversationStore store = new JsonFileConversationStore(dir);
        store.save(ID, "small");

        assertThatThrownBy(() -> store.save(ID, "x".repeat(JsonFileConversationStore.MAX_FILE_BYTES)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("more than the 64 MiB a conversation file may hold");
        assertThat(store.load(ID)).contains("small");
    }
}
