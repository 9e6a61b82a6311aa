package dev.postpurchase.core.memory;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.spi.ConfigurationRules;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.IntegrationSettingsStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Thread-safe {@link IntegrationSettingsStore} in memory; every integration starts disabled and nothing survives a
 * restart (use {@code JdbcIntegrationSettings} for that). Each integration's setting is replaced as a whole, so the
 * flag and the key always come from the same write.
 *
 * <p>{@link #save} keeps the SPI's rules; the shortcuts {@link #enable(String)}, {@link #enable(String, Secret)} and
 * {@link #disable} store what they are given unchecked, so tests can also hand executors settings a less careful
 * implementation might return (a blank key, for example).
 */
public final class InMemoryIntegrationSettings implements IntegrationSettingsStore {
    private final Map<String, IntegrationSetting> settings = new ConcurrentHashMap<>();

    /** Enables an integration, keeping its API key if it has one. */
    public InMemoryIntegrationSettings enable(String integration) {
        settings.compute(
                integration, (id, old) -> old == null ? IntegrationSetting.enabled(id) : old.withEnabled(true));
        return this;
    }

    /** Enables an integration with an API key. */
    public InMemoryIntegrationSettings enable(String integration, Secret apiKey) {
        settings.put(integration, IntegrationSetting.enabled(integration, apiKey));
        return this;
    }

    /** Disables an integration, keeping its API key. */
    public InMemoryIntegrationSettings disable(String integration) {
        settings.compute(
                integration, (id, old) -> old == null ? IntegrationSetting.disabled(id) : old.withEnabled(false));
        return this;
    }

    @Override
    public void save(IntegrationSetting setting) {
        ConfigurationRules.checkIntegration(setting);
        settings.put(setting.integration(), setting);
    }

    @Override
    public Optional<IntegrationSetting> find(String integration) {
        return Optional.ofNullable(settings.get(integration));
    }

    @Override
    public List<IntegrationSetting> list() {
        return settings.values().stream()
                .sorted(java.util.Comparator.comparing(IntegrationSetting::integration))
                .toList();
    }

    @Override
    public boolean isEnabled(String integration) {
        IntegrationSetting setting = settings.get(integration);
        return setting != null && setting.enabled();
    }

    @Override
    public Optional<Secret> apiKey(String integration) {
        return Optional.ofNullable(settings.get(integration)).map(IntegrationSetting::apiKey);
    }

    @Override
    public String toString() {
        return "InMemoryIntegrationSettings" + list();
    }
}
