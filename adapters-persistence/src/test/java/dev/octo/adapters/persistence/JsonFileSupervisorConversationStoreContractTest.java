package dev.octo.adapters.persistence;

import dev.octo.application.port.out.SupervisorConversationStore;
import dev.octo.application.port.out.SupervisorConversationStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JsonFileSupervisorConversationStoreContractTest extends SupervisorConversationStoreContract {

    @TempDir
    Path octoDir;

    @Override
    protected SupervisorConversationStore newStore() {
        return new JsonFileSupervisorConversationStore(octoDir.resolve("supervisor"));
    }
}
