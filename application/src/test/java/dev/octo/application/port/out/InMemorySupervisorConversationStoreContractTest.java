package dev.octo.application.port.out;

import dev.octo.application.fakes.InMemorySupervisorConversationStore;

/** The fake keeps the same contract as the real store, so tests that use it mean something. */
class InMemorySupervisorConversationStoreContractTest extends SupervisorConversationStoreContract {

    @Override
    protected SupervisorConversationStore newStore() {
        return new InMemorySupervisorConversationStore();
    }
}
