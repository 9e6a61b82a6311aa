package dev.postpurchase.core.spi;

import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.Violations;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An integration an executor belongs to ({@link ActionExecutor#integration()}): the pipeline refuses to save a
 * definition while it is off and fails an attempt made after it was switched off, with one wording for every
 * executor. Read from {@code settings} on every check, so switching it back on needs no restart.
 *
 * @param id the integration's id in the settings, for example {@code kajabi}
 * @param displayName how merchants know it, for example {@code Kajabi}
 * @param whereToEnable where an operator switches it on, for example {@code Settings → Integrations}
 * @param needsApiKey whether it also needs a non-blank API key in the settings
 * @param settings the backend's integration settings
 */
public record RequiredIntegration(
        String id, String displayName, String whereToEnable, boolean needsApiKey, IntegrationSettings settings) {

    public RequiredIntegration {
        Violations.check(v -> {
            v.requireText("id", id);
            v.requireText("displayName", displayName);
            v.requireText("whereToEnable", whereToEnable);
            v.require("settings", settings);
        });
    }

    /** Whether the integration is on (and has its API key when it needs one). */
    public boolean available() {
        if (!settings.isEnabled(id)) {
            return false;
        }
        return !needsApiKey || settings.apiKey(id).filter(k -> !k.isBlank()).isPresent();
    }

    /**
     * Throws {@link IntegrationNotEnabledException} on the field {@code integration} unless {@link #available()}.
     */
    public void check() {
        if (!available()) {
            throw new IntegrationNotEnabledException(id, "integration");
        }
    }

    /** Why an attempt of a {@code type} action cannot run now, or null when it can. */
    public @Nullable String unavailableReason(String type) {
        Objects.requireNonNull(type, "type");
        if (!settings.isEnabled(id)) {
            return "the " + displayName + " integration is disabled in the integration settings, so the " + type
                    + " action did not run; enable " + displayName + " under " + whereToEnable + " and re-run";
        }
        if (needsApiKey && settings.apiKey(id).filter(k -> !k.isBlank()).isEmpty()) {
            return "the " + displayName + " integration has no API key in the integration settings, so the " + type
                    + " action did not run; add one under " + whereToEnable + " and re-run";
        }
        return null;
    }
}
