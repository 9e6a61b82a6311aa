package dev.postpurchase.examples.readme;

import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.testing.AbstractActionStateStoreContractTest;

// README:start contract-kit
/** Proves a store against every invariant (here the in-memory one; put yours in its place). */
public class MyStoreContractTest extends AbstractActionStateStoreContractTest {
    @Override
    protected ActionStateStore createStore() {
        return ActionStateStore.inMemory();
    }
}
// README:end contract-kit
