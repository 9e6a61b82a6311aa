package dev.postpurchase.testing;

import dev.postpurchase.core.spi.ActionStateStore;

class InMemoryActionStateStoreContractTest extends AbstractActionStateStoreContractTest {
    @Override
    protected ActionStateStore createStore() {
        return ActionStateStore.inMemory();
    }
}
