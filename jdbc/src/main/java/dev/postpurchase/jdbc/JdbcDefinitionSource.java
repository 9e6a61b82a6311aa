package dev.postpurchase.jdbc;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ConflictException;
import dev.postpurchase.core.NotFoundException;
import dev.postpurchase.core.StoreException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.VersionConflictException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.spi.ConfigurationRules;
import dev.postpurchase.core.spi.DefinitionQuery;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.Page;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.jdbc.internal.ConfigStorage;
import dev.postpurchase.jdbc.internal.DefinitionTable;
import dev.postpurchase.jdbc.internal.Jdbc;
import dev.postpurchase.jdbc.internal.SqlErrors;
import dev.postpurchase.jdbc.internal.SubscriptionTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The merchant's action definitions, event subscriptions and per-event switches in the shop's own database
 * (PostgreSQL, MariaDB/MySQL, H2), next to the runs: a durable {@link DefinitionStore} for the dashboard to write and
 * the pipeline to read.
 *
 * <pre>{@code
 * ActionExecutors executors = ActionExecutors.of(executorList);
 * JdbcDefinitionSource definitions = JdbcDefinitionSource.builder()
 *         .dataSource(dataSource)
 *         .executors(executors)            // every save is validated as ActionExecutors#validate does
 *         .secretCodec(codec)              // AesGcmSecretCodec with the application's key
 *         .build();
 * definitions.migrate();                   // the same schema as JdbcActionStateStore#migrate
 * ActionPipeline pipeline = ActionPipeline.builder().definitions(definitions).executors(executorList)...build();
 * }</pre>
 *
 * <p><b>Tables</b> (prefix {@code pp_} by default, shared with the run store): {@code <prefix>definition} (one row per
 * definition; its whole JSON, config included, sealed by the {@link SecretCodec} and bound to its id, beside plain
 * id, type, name, level, target, enabled flag, version and timestamps), {@code <prefix>subscription} with its ordered
 * {@code <prefix>subscription_definition} rows, {@code <prefix>event_switch}, and the one-row {@code
 * <prefix>config_version}.
 *
 * <p><b>Writes</b> follow the {@link DefinitionStore} contract: validated before the transaction, then one
 * transaction that first counts {@code <prefix>config_version} up (so configuration writes are serialised across
 * nodes), checks the expected version, writes, and on PostgreSQL sends {@code NOTIFY <prefix>config}. A stale
 * version is a {@link VersionConflictException}; nothing is written.
 *
 * <p><b>Cache.</b> The pipeline reads definitions on every submit, so {@link #forCheckout}, {@link #forOffer}, {@link
 * #forProduct}, {@link #byId}, {@link #subscriptions} and {@link #eventEnabled} answer from a cache of this instance.
 * This instance's own writes empty it at once. Another node's write is seen within the {@link
 * Builder#refreshInterval} (default 1 s) plus one query: a read checks the shared version at most once per interval
 * and empties the cache when it moved. On PostgreSQL a listener on a dedicated connection also empties it as soon as
 * another node commits (typically within milliseconds; size pools one connection larger). Admin reads ({@link
 * #findDefinition}, {@link #definitions}, {@link #findSubscription}, {@link #subscriptionsOf}, {@link
 * #eventSwitches}) always read the database.
 *
 * <p><b>Secrets.</b> Webhook secrets, Kajabi offer URLs and every other config value are encrypted at rest by the
 * codec; {@link #reEncrypt()} rewrites values of previous keys after a rotation. A value the codec cannot decrypt
 * surfaces as {@code SecretKeyException} naming its key id.
 *
 * <p>Thread-safe. {@link #close()} stops the listener; the DataSource belongs to the application.
 */
public final class JdbcDefinitionSource implements DefinitionStore, AutoCloseable {
    private static final Object SWITCHES = new Object();

    private record TargetKey(ActionLevel level, String targetId) {}

    private record IdKey(String id) {}

    private record EventKey(ShopEventType type) {}

    private final ConfigStorage storage;
    private final ActionExecutors executors;
    private final DefinitionTable definitions;
    private final SubscriptionTable subscriptions;

    private JdbcDefinitionSource(ConfigStorage storage, ActionExecutors executors) {
        this.storage = storage;
        this.executors = executors;
        this.definitions = new DefinitionTable(storage);
        this.subscriptions = new SubscriptionTable(storage);
    }

    /** Starts a builder; {@code dataSource}, {@code executors} and {@code secretCodec} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates or upgrades the prefix's tables (runs and configuration) to {@link JdbcSchema#latestVersion()}; the
     * same as {@link JdbcActionStateStore#migrate()}, safe from several nodes at once.
     *
     * @return the schema version now installed
     */
    public int migrate() {
        return storage.migrate();
    }

    /** The dialect this source speaks. */
    public JdbcDialect dialect() {
        return storage.dialect();
    }

    /** The table prefix. */
    public String tablePrefix() {
        return storage.prefix();
    }

    // ---- DefinitionSource: the pipeline's reads, cached ----------------------------------------------------------

    @Override
    public List<ActionDefinition> forCheckout(String checkoutId) {
        return onTarget(ActionLevel.CHECKOUT, checkoutId);
    }

    @Override
    public List<ActionDefinition> forOffer(String offerId) {
        return onTarget(ActionLevel.OFFER, offerId);
    }

    @Override
    public List<ActionDefinition> forProduct(String productId) {
        return onTarget(ActionLevel.PRODUCT, productId);
    }

    @Override
    public Optional<ActionDefinition> byId(String definitionId) {
        return storage.cached(
                new IdKey(definitionId), () -> findDefinition(definitionId).map(Versioned::value));
    }

    @Override
    public List<Subscription> subscriptions(ShopEventType type) {
        return storage.cached(
                new EventKey(type),
                () -> subscriptionsOf(type).stream().map(Versioned::value).toList());
    }

    @Override
    public boolean eventEnabled(ShopEventType type) {
        Map<ShopEventType, Boolean> switches = storage.cached(SWITCHES, this::eventSwitches);
        return switches.getOrDefault(type, true);
    }

    private List<ActionDefinition> onTarget(ActionLevel level, String targetId) {
        return storage.cached(
                new TargetKey(level, targetId),
                () -> storage.read(
                        "reading the definitions of " + level + " " + targetId,
                        c -> definitions.onTarget(c, level, targetId).stream()
                                .map(Versioned::value)
                                .toList()));
    }

    // ---- definitions ----------------------------------------------------------------------------------------------

    @Override
    public Versioned<ActionDefinition> createDefinition(ActionDefinition definition) {
        ConfigurationRules.checkDefinition(executors, Objects.requireNonNull(definition, "definition"));
        return storage.write("creating definition " + definition.id(), c -> insert(c, definition));
    }

    @Override
    public Versioned<ActionDefinition> updateDefinition(ActionDefinition definition, long expectedVersion) {
        ConfigurationRules.checkDefinition(executors, Objects.requireNonNull(definition, "definition"));
        return storage.write("updating definition " + definition.id(), c -> {
            DefinitionTable.Head head = requireDefinition(c, definition.id(), expectedVersion);
            ConfigurationRules.checkSameType(head.type(), definition);
            Instant now = now();
            definitions.update(c, definition, expectedVersion + 1, now);
            return new Versioned<>(definition, expectedVersion + 1, head.createdAt(), now);
        });
    }

    @Override
    public void deleteDefinition(String definitionId, long expectedVersion) {
        storage.write("deleting definition " + definitionId, Jdbc.unit(c -> {
            requireDefinition(c, definitionId, expectedVersion);
            List<String> naming = subscriptions.naming(c, definitionId);
            if (!naming.isEmpty()) {
                throw new ConflictException("definition " + definitionId + " is named by the subscription(s) " + naming
                        + "; remove it from them first");
            }
            definitions.delete(c, definitionId);
        }));
    }

    @Override
    public Optional<Versioned<ActionDefinition>> findDefinition(String definitionId) {
        return storage.read("reading definition " + definitionId, c -> definitions.find(c, definitionId));
    }

    @Override
    public Page<Versioned<ActionDefinition>> definitions(DefinitionQuery query) {
        Objects.requireNonNull(query, "query");
        List<Versioned<ActionDefinition>> rows = storage.read("listing definitions", c -> definitions.page(c, query));
        if (rows.size() <= query.limit()) {
            return new Page<>(rows, null);
        }
        List<Versioned<ActionDefinition>> page = rows.subList(0, query.limit());
        return new Page<>(page, page.get(page.size() - 1).value().id());
    }

    @Override
    public List<Versioned<ActionDefinition>> checkoutCreated(String checkoutId) {
        List<ActionDefinition> wanted = executors.definitionsForNewCheckout(checkoutId);
        if (wanted.isEmpty()) {
            return List.of();
        }
        wanted.forEach(d -> ConfigurationRules.checkDefinition(executors, d));
        return storage.write("adding the definitions of new checkout " + checkoutId, c -> {
            List<Versioned<ActionDefinition>> result = new ArrayList<>();
            for (ActionDefinition definition : wanted) {
                Optional<Versioned<ActionDefinition>> existing = definitions.find(c, definition.id());
                result.add(existing.isPresent() ? existing.get() : insert(c, definition));
            }
            return result;
        });
    }

    // ---- subscriptions and switches -------------------------------------------------------------------------------

    @Override
    public Versioned<Subscription> createSubscription(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        return storage.write("creating subscription " + subscription.id(), c -> {
            checkSubscription(c, subscription);
            Instant now = now();
            try {
                subscriptions.insert(c, subscription, now);
            } catch (SQLException e) {
                if (SqlErrors.isUniqueViolation(e)) {
                    throw new ConflictException("a subscription with the id " + subscription.id() + " exists already");
                }
                throw e;
            }
            return new Versioned<>(subscription, 1, now, now);
        });
    }

    @Override
    public Versioned<Subscription> updateSubscription(Subscription subscription, long expectedVersion) {
        Objects.requireNonNull(subscription, "subscription");
        return storage.write("updating subscription " + subscription.id(), c -> {
            checkSubscription(c, subscription);
            SubscriptionTable.Head head = subscriptions
                    .head(c, subscription.id())
                    .orElseThrow(() -> new NotFoundException("no subscription with the id " + subscription.id()));
            if (head.version() != expectedVersion) {
                throw new VersionConflictException("subscription", subscription.id(), expectedVersion, head.version());
            }
            Instant now = now();
            subscriptions.update(c, subscription, expectedVersion + 1, now);
            return new Versioned<>(subscription, expectedVersion + 1, head.createdAt(), now);
        });
    }

    @Override
    public void deleteSubscription(String subscriptionId, long expectedVersion) {
        storage.write("deleting subscription " + subscriptionId, Jdbc.unit(c -> {
            SubscriptionTable.Head head = subscriptions
                    .head(c, subscriptionId)
                    .orElseThrow(() -> new NotFoundException("no subscription with the id " + subscriptionId));
            if (head.version() != expectedVersion) {
                throw new VersionConflictException("subscription", subscriptionId, expectedVersion, head.version());
            }
            subscriptions.delete(c, subscriptionId);
        }));
    }

    @Override
    public Optional<Versioned<Subscription>> findSubscription(String subscriptionId) {
        return storage.read("reading subscription " + subscriptionId, c -> subscriptions.find(c, subscriptionId));
    }

    @Override
    public List<Versioned<Subscription>> subscriptionsOf(ShopEventType type) {
        Objects.requireNonNull(type, "type");
        return storage.read("reading the subscriptions of " + type.wireName(), c -> subscriptions.ofType(c, type));
    }

    @Override
    public void setEventEnabled(ShopEventType type, boolean enabled) {
        Objects.requireNonNull(type, "type");
        storage.write("switching " + type.wireName(), Jdbc.unit(c -> {
            subscriptions.setSwitch(c, type, enabled, now());
        }));
    }

    @Override
    public Map<ShopEventType, Boolean> eventSwitches() {
        return storage.read("reading the event switches", subscriptions::switches);
    }

    // ---- secrets --------------------------------------------------------------------------------------------------

    /**
     * Rewrites every definition sealed with a key other than the codec's current one, after a key rotation (the
     * old key must still be configured as a previous key of the codec). Safe while the application runs: each row is
     * rewritten only if unchanged since it was read. Versions, timestamps and caches stay as they are.
     *
     * @return how many definitions were rewritten
     * @throws dev.postpurchase.core.SecretKeyException when a value was written with a key the codec does not have
     */
    public int reEncrypt() {
        return definitions.reEncrypt();
    }

    /** Stops listening for other nodes' changes; the DataSource stays open. */
    @Override
    public void close() {
        storage.close();
    }

    @Override
    public String toString() {
        return "JdbcDefinitionSource[dialect=" + storage.dialect() + ", prefix=" + storage.prefix() + ", codec="
                + storage.codec() + "]";
    }

    private Versioned<ActionDefinition> insert(Connection c, ActionDefinition definition) throws SQLException {
        Instant now = now();
        try {
            definitions.insert(c, definition, now);
        } catch (SQLException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw new ConflictException("a definition with the id " + definition.id() + " exists already");
            }
            throw e;
        }
        return new Versioned<>(definition, 1, now, now);
    }

    private DefinitionTable.Head requireDefinition(Connection c, String id, long expectedVersion) throws SQLException {
        DefinitionTable.Head head =
                definitions.head(c, id).orElseThrow(() -> new NotFoundException("no definition with the id " + id));
        if (head.version() != expectedVersion) {
            throw new VersionConflictException("definition", id, expectedVersion, head.version());
        }
        return head;
    }

    private void checkSubscription(Connection c, Subscription subscription) throws SQLException {
        Map<String, String> types = definitions.typesOf(c, subscription.definitionIds());
        ConfigurationRules.checkSubscription(executors, subscription, id -> Optional.ofNullable(types.get(id)));
    }

    private Instant now() {
        return storage.instants().normalize(storage.clock().instant());
    }

    /** Mutable, not thread-safe builder of {@link JdbcDefinitionSource}. */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private @Nullable ActionExecutors executors;
        private @Nullable SecretCodec secretCodec;
        private @Nullable JdbcDialect dialect;
        private String tablePrefix = JdbcSchema.DEFAULT_PREFIX;
        private @Nullable Duration refreshInterval = Duration.ofSeconds(1);
        private boolean listenForChanges = true;
        private int cacheEntries = 10_000;
        private @Nullable Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Required: where connections come from; use a pool in production. Never closed by the source. */
        public Builder dataSource(DataSource value) {
            this.dataSource = value;
            return this;
        }

        /** Required: the executors every definition and subscription is validated against before it is saved. */
        public Builder executors(ActionExecutors value) {
            this.executors = value;
            return this;
        }

        /**
         * Required: how configuration is kept at rest, for example {@code AesGcmSecretCodec} with the application's
         * key; {@code SecretCodec.plainTextForDevelopmentOnly()} only for development databases.
         */
        public Builder secretCodec(SecretCodec value) {
            this.secretCodec = value;
            return this;
        }

        /** The database dialect; default: detected from the first connection's metadata. */
        public Builder dialect(@Nullable JdbcDialect value) {
            this.dialect = value;
            return this;
        }

        /** The prefix of every table; default {@code pp_}, the run store's. See {@link JdbcSchema}. */
        public Builder tablePrefix(String value) {
            this.tablePrefix = value;
            return this;
        }

        /**
         * The longest time another node's edit may go unseen by this instance's cached reads (plus one query); the
         * shared version is checked at most this often. Default 1 s.
         */
        public Builder refreshInterval(Duration value) {
            this.refreshInterval = value;
            return this;
        }

        /** Whether to listen for other nodes' changes with PostgreSQL notifications; default true. */
        public Builder listenForChanges(boolean value) {
            this.listenForChanges = value;
            return this;
        }

        /** How many lookups (targets, ids, event types) the cache keeps before it starts afresh; default 10000. */
        public Builder cacheEntries(int value) {
            this.cacheEntries = value;
            return this;
        }

        /** The clock of the created and updated timestamps; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * Validates the settings and builds the source; detects the dialect when none was set (one connection). On
         * PostgreSQL starts the change listener. Does not touch the schema: call {@link #migrate()}.
         *
         * @throws ValidationException naming every bad setting
         * @throws StoreException when the dialect must be detected and the database cannot be reached
         */
        public JdbcDefinitionSource build() {
            List<Violation> v = new ArrayList<>();
            ConfigStorage.Settings settings = new ConfigStorage.Settings(
                    dataSource,
                    dialect,
                    tablePrefix,
                    secretCodec,
                    refreshInterval,
                    listenForChanges,
                    cacheEntries,
                    clock);
            settings.check(v);
            if (executors == null) {
                v.add(new Violation("executors", "is required: definitions are validated against them when saved"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            return new JdbcDefinitionSource(ConfigStorage.open(settings), Objects.requireNonNull(executors));
        }
    }
}
