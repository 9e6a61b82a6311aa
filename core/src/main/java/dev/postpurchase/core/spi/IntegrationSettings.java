package dev.postpurchase.core.spi;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import java.util.Optional;

/**
 * The backend's integration settings (Settings → Integrations): whether an integration such as {@code kajabi} or
 * {@code systemeio} is enabled, and its API key. Read when a definition is saved and on every attempt, so switching
 * an integration off stops its actions with a clear reason. Implementations must be thread-safe.
 */
public interface IntegrationSettings {

    /** A mutable in-memory implementation, everything disabled at first. */
    static InMemoryIntegrationSettings inMemory() {
        return new InMemoryIntegrationSettings();
    }

    boolean isEnabled(String integration);

    /** The integration's API key, if it has one. */
    Optional<Secret> apiKey(String integration);
}
