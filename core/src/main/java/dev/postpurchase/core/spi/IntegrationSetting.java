package dev.postpurchase.core.spi;

import dev.postpurchase.core.Secret;
import org.jspecify.annotations.Nullable;

/**
 * One integration's settings (Settings → Integrations): whether it is enabled and its credential. {@code toString}
 * never shows the key.
 *
 * @param integration the integration's id, for example {@code kajabi} or {@code systemeio}
 * @param enabled whether its actions may run
 * @param apiKey its API key, or null when it has none
 */
public record IntegrationSetting(String integration, boolean enabled, @Nullable Secret apiKey) {

    /** Enabled, without an API key. */
    public static IntegrationSetting enabled(String integration) {
        return new IntegrationSetting(integration, true, null);
    }

    /** Enabled with an API key. */
    public static IntegrationSetting enabled(String integration, Secret apiKey) {
        return new IntegrationSetting(integration, true, apiKey);
    }

    /** Disabled, without an API key. */
    public static IntegrationSetting disabled(String integration) {
        return new IntegrationSetting(integration, false, null);
    }

    /** A copy switched on or off, with the same key. */
    public IntegrationSetting withEnabled(boolean value) {
        return new IntegrationSetting(integration, value, apiKey);
    }

    @Override
    public String toString() {
        return "IntegrationSetting[integration=" + integration + ", enabled=" + enabled + ", apiKey="
                + (apiKey == null ? "none" : "***") + "]";
    }
}
