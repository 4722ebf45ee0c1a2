package dev.octo.adapters.persistence;

import dev.octo.application.port.out.TaskStore;
import dev.octo.application.port.out.TaskStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JsonFileTaskStoreContractTest extends TaskStoreContract {

    @TempDir
    Path octoDir;

    @Override
    protected TaskStore newStore() {
        return new JsonFileTaskStore(octoDir.resolve("tasks"));
    }
}
