package dev.postpurchase.core.spi;

import dev.postpurchase.core.ValidationException;
import java.util.List;
import java.util.Optional;

/**
 * {@link IntegrationSettings} the merchant's dashboard writes to: per integration an enabled flag and an API key.
 *
 * <p>Implementations are thread-safe and safe across processes sharing the storage. {@link #save} replaces an
 * integration's whole setting atomically (flag and key together; the last write wins), and reads through the same
 * instance see it once it returns; other instances within the bound the implementation documents. A durable
 * implementation keeps API keys encrypted at rest.
 */
public interface IntegrationSettingsStore extends IntegrationSettings {

    /**
     * Stores an integration's setting, replacing what was stored. Idempotent.
     *
     * @throws ValidationException naming {@code integration} (blank, too long, control characters) or {@code apiKey}
     *     (blank); nothing is stored
     */
    void save(IntegrationSetting setting);

    /** The stored setting of one integration, if it was ever saved. */
    Optional<IntegrationSetting> find(String integration);

    /** Every stored setting, by integration id. */
    List<IntegrationSetting> list();
}
