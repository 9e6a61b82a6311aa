package dev.postpurchase.testing;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.DefinitionStore;

class InMemoryDefinitionSourceContractTest extends AbstractDefinitionSourceContractTest {
    @Override
    protected DefinitionStore createStore(ActionExecutors executors) {
        return new InMemoryDefinitionSource(executors);
    }
}
