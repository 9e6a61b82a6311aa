package dev.postpurchase.jdbc;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.StoreException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.spi.ConfigurationRules;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.IntegrationSettingsStore;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.jdbc.internal.ConfigStorage;
import dev.postpurchase.jdbc.internal.IntegrationTable;
import dev.postpurchase.jdbc.internal.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The merchant's integration settings (Settings → Integrations: Kajabi enabled, the Systeme.io API key) in the
 * shop's own database: a durable {@link IntegrationSettingsStore}, in table {@code <prefix>integration} (id, enabled
 * flag, the API key sealed by the {@link SecretCodec} and bound to the integration's id, updated time).
 *
 * <pre>{@code
 * JdbcIntegrationSettings integrations = JdbcIntegrationSettings.builder()
 *         .dataSource(dataSource)
 *         .secretCodec(codec)
 *         .build();
 * integrations.save(IntegrationSetting.enabled("systemeio", Secret.of(apiKey)));
 * }</pre>
 *
 * <p>Executors read {@link #isEnabled} and {@link #apiKey} on every attempt, so they answer from a cache of this
 * instance, kept current exactly as {@link JdbcDefinitionSource}'s: emptied by this instance's writes at once, by
 * other nodes' writes within {@link Builder#refreshInterval} (default 1 s) plus one query, and on PostgreSQL through
 * {@code NOTIFY <prefix>config} as soon as they commit. {@link #find} and {@link #list} read the database.
 *
 * <p>Thread-safe. {@link #close()} stops the listener; the DataSource belongs to the application.
 */
public final class JdbcIntegrationSettings implements IntegrationSettingsStore, AutoCloseable {
    private static final Object ALL = new Object();

    private final ConfigStorage storage;
    private final IntegrationTable table;

    private JdbcIntegrationSettings(ConfigStorage storage) {
        this.storage = storage;
        this.table = new IntegrationTable(storage);
    }

    /** Starts a builder; {@code dataSource} and {@code secretCodec} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Creates or upgrades the prefix's tables; the same as {@link JdbcActionStateStore#migrate()}. */
    public int migrate() {
        return storage.migrate();
    }

    @Override
    public void save(IntegrationSetting setting) {
        ConfigurationRules.checkIntegration(setting);
        storage.write("saving the " + setting.integration() + " integration", Jdbc.unit(c -> {
            table.upsert(
                    c, setting, storage.instants().normalize(storage.clock().instant()));
        }));
    }

    @Override
    public Optional<IntegrationSetting> find(String integration) {
        return storage.read("reading the " + integration + " integration", c -> table.find(c, integration));
    }

    @Override
    public List<IntegrationSetting> list() {
        return storage.read("reading the integrations", table::all);
    }

    @Override
    public boolean isEnabled(String integration) {
        IntegrationSetting setting = cached().get(integration);
        return setting != null && setting.enabled();
    }

    @Override
    public Optional<Secret> apiKey(String integration) {
        return Optional.ofNullable(cached().get(integration)).map(IntegrationSetting::apiKey);
    }

    /**
     * Rewrites every API key sealed with a key other than the codec's current one, after a key rotation (the old
     * key must still be configured as a previous key). Safe while the application runs.
     *
     * @return how many keys were rewritten
     * @throws dev.postpurchase.core.SecretKeyException when a key was written with a key the codec does not have
     */
    public int reEncrypt() {
        return table.reEncrypt();
    }

    /** Stops listening for other nodes' changes; the DataSource stays open. */
    @Override
    public void close() {
        storage.close();
    }

    @Override
    public String toString() {
        return "JdbcIntegrationSettings[dialect=" + storage.dialect() + ", prefix=" + storage.prefix() + ", codec="
                + storage.codec() + "]";
    }

    private Map<String, IntegrationSetting> cached() {
        return storage.cached(ALL, () -> {
            Map<String, IntegrationSetting> byId = new LinkedHashMap<>();
            list().forEach(s -> byId.put(s.integration(), s));
            return Map.copyOf(byId);
        });
    }

    /** Mutable, not thread-safe builder of {@link JdbcIntegrationSettings}. */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private @Nullable SecretCodec secretCodec;
        private @Nullable JdbcDialect dialect;
        private String tablePrefix = JdbcSchema.DEFAULT_PREFIX;
        private @Nullable Duration refreshInterval = Duration.ofSeconds(1);
        private boolean listenForChanges = true;
        private @Nullable Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Required: where connections come from. Never closed by the settings. */
        public Builder dataSource(DataSource value) {
            this.dataSource = value;
            return this;
        }

        /** Required: how API keys are kept at rest (see {@link JdbcDefinitionSource.Builder#secretCodec}). */
        public Builder secretCodec(SecretCodec value) {
            this.secretCodec = value;
            return this;
        }

        /** The database dialect; default: detected from the first connection's metadata. */
        public Builder dialect(@Nullable JdbcDialect value) {
            this.dialect = value;
            return this;
        }

        /** The prefix of every table; default {@code pp_}. */
        public Builder tablePrefix(String value) {
            this.tablePrefix = value;
            return this;
        }

        /** The longest time another node's change may go unseen (plus one query); default 1 s. */
        public Builder refreshInterval(Duration value) {
            this.refreshInterval = value;
            return this;
        }

        /** Whether to listen for other nodes' changes with PostgreSQL notifications; default true. */
        public Builder listenForChanges(boolean value) {
            this.listenForChanges = value;
            return this;
        }

        /** The clock of the updated timestamps; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * Validates the settings and builds the store; detects the dialect when none was set. On PostgreSQL starts
         * the change listener. Does not touch the schema: call {@link #migrate()}.
         *
         * @throws ValidationException naming every bad setting
         * @throws StoreException when the dialect must be detected and the database cannot be reached
         */
        public JdbcIntegrationSettings build() {
            List<Violation> v = new ArrayList<>();
            ConfigStorage.Settings settings = new ConfigStorage.Settings(
                    dataSource, dialect, tablePrefix, secretCodec, refreshInterval, listenForChanges, 16, clock);
            settings.check(v);
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            return new JdbcIntegrationSettings(ConfigStorage.open(settings));
        }
    }
}
