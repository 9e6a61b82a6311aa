package dev.postpurchase.core.memory;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.spi.IntegrationSettings;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Thread-safe, mutable {@link IntegrationSettings}; every integration starts disabled. */
public final class InMemoryIntegrationSettings implements IntegrationSettings {
    private final Map<String, Boolean> enabled = new ConcurrentHashMap<>();
    private final Map<String, Secret> keys = new ConcurrentHashMap<>();

    public InMemoryIntegrationSettings enable(String integration) {
        enabled.put(integration, true);
        return this;
    }

    public InMemoryIntegrationSettings enable(String integration, Secret apiKey) {
        keys.put(integration, apiKey);
        return enable(integration);
    }

    public InMemoryIntegrationSettings disable(String integration) {
        enabled.put(integration, false);
        return this;
    }

    @Override
    public boolean isEnabled(String integration) {
        return enabled.getOrDefault(integration, false);
    }

    @Override
    public Optional<Secret> apiKey(String integration) {
        return Optional.ofNullable(keys.get(integration));
    }

    @Override
    public String toString() {
        return "InMemoryIntegrationSettings" + enabled;
    }
}
