package dev.octo.adapters.persistence;

import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.ConversationStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JsonFileConversationStoreContractTest extends ConversationStoreContract {

    @TempDir
    Path octoDir;

    @Override
    protected ConversationStore newStore() {
        return new JsonFileConversationStore(octoDir.resolve("tasks"));
    }
}
