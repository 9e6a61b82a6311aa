package dev.postpurchase.testing;

import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.core.spi.IntegrationSettingsStore;

class InMemoryIntegrationSettingsContractTest extends AbstractIntegrationSettingsContractTest {
    @Override
    protected IntegrationSettingsStore createSettings() {
        return IntegrationSettings.inMemory();
    }
}
