package dev.octo.application.port.out;

import dev.octo.application.fakes.InMemoryConversationStore;

/** The fake keeps the same contract as the real store, so tests that use it mean something. */
class InMemoryConversationStoreContractTest extends ConversationStoreContract {

    @Override
    protected ConversationStore newStore() {
        return new InMemoryConversationStore();
    }
}
