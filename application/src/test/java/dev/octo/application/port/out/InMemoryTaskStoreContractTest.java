package dev.octo.application.port.out;

import dev.octo.application.fakes.InMemoryTaskStore;

/** The fake keeps the same contract as the real store, so tests that use it mean something. */
class InMemoryTaskStoreContractTest extends TaskStoreContract {

    @Override
    protected TaskStore newStore() {
        return new InMemoryTaskStore();
    }
}
