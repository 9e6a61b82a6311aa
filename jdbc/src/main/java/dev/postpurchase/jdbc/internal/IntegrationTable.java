package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.spi.IntegrationSetting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code <prefix>integration} table: one row per integration, its API key sealed by the secret codec. */
public final class IntegrationTable {
    private final ConfigStorage storage;
    private final SealedColumn apiKeys;
    private final String select;

    public IntegrationTable(ConfigStorage storage) {
        this.storage = storage;
        String table = storage.prefix() + "integration";
        this.apiKeys = new SealedColumn(storage, "integration", table, "integration", "api_key_enc");
        this.select = "SELECT integration, enabled, api_key_enc FROM " + table;
    }

    /** Inserts or replaces an integration's row. */
    public void upsert(Connection c, IntegrationSetting setting, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(storage.sql().upsertIntegration())) {
            ps.setString(1, setting.integration());
            ps.setBoolean(2, setting.enabled());
            Secret key = setting.apiKey();
            ps.setString(3, key == null ? null : apiKeys.seal(setting.integration(), key.reveal()));
            storage.instants().set(ps, 4, now);
            ps.executeUpdate();
        }
    }

    public Optional<IntegrationSetting> find(Connection c, String integration) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select + " WHERE integration = ?")) {
            ps.setString(1, integration);
            List<IntegrationSetting> found = readAll(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** Every integration, by id. */
    public List<IntegrationSetting> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select + " ORDER BY integration")) {
            return readAll(ps);
        }
    }

    /** Rewrites the API keys sealed with a previous key; see {@link SealedColumn#reEncrypt()}. */
    public int reEncrypt() {
        return apiKeys.reEncrypt();
    }

    private List<IntegrationSetting> readAll(PreparedStatement ps) throws SQLException {
        List<IntegrationSetting> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String integration = rs.getString(1);
                String sealed = rs.getString(3);
                result.add(new IntegrationSetting(
                        integration,
                        rs.getBoolean(2),
                        sealed == null ? null : Secret.of(apiKeys.open(integration, sealed))));
            }
        }
        return result;
    }
}
