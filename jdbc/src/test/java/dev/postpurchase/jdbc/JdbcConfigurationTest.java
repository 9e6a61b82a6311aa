package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.StoreException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the JDBC configuration stores do beyond the contract kits: builders, caching, restarts, migrations. */
class JdbcConfigurationTest {
    private final ActionExecutors executors = ActionExecutors.of(List.of(new RecordingExecutor("crm")));

    @Test
    void theBuildersNameEveryBadSetting() {
        assertThatThrownBy(() -> JdbcDefinitionSource.builder()
                        .tablePrefix("Bad-Prefix")
                        .refreshInterval(Duration.ZERO)
                        .cacheEntries(0)
                        .build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactlyInAnyOrder(
                                "dataSource",
                                "secretCodec",
                                "tablePrefix",
                                "refreshInterval",
                                "cacheEntries",
                                "executors"));
        assertThatThrownBy(() -> JdbcIntegrationSettings.builder()
                        .refreshInterval(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactlyInAnyOrder("dataSource", "secretCodec", "refreshInterval"));
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void cachedReadsNeedNoDatabaseUntilTheRefreshInterval(JdbcDialect dialect) {
        try (ConfigFixture db = ConfigFixture.open(dialect)) {
            ActionDefinition crm = definition("crm-1", "checkout-1");
            try (JdbcDefinitionSource editor = db.definitions(executors).build()) {
                editor.createDefinition(crm);
                editor.createSubscription(Subscription.of("sub-1", ShopEventType.ORDER_COMPLETED, List.of("crm-1")));
            }
            KillableDataSource node = new KillableDataSource(db.dataSource);
            try (JdbcDefinitionSource cached = db.definitions(node, executors)
                    .refreshInterval(Duration.ofHours(1))
                    .listenForChanges(false)
                    .build()) {
                assertThat(cached.forCheckout("checkout-1")).containsExactly(crm);
                assertThat(cached.byId("crm-1")).contains(crm);
                assertThat(cached.subscriptions(ShopEventType.ORDER_COMPLETED)).hasSize(1);
                assertThat(cached.eventEnabled(ShopEventType.ORDER_COMPLETED)).isTrue();

                node.kill();

                assertThat(cached.forCheckout("checkout-1")).containsExactly(crm);
                assertThat(cached.byId("crm-1")).contains(crm);
                assertThat(cached.subscriptions(ShopEventType.ORDER_COMPLETED)).hasSize(1);
                assertThat(cached.eventEnabled(ShopEventType.ORDER_COMPLETED)).isTrue();
                assertThatThrownBy(() -> cached.forCheckout("checkout-2"))
                        .as("what was never read needs the database")
                        .isInstanceOf(StoreException.class);
                assertThatThrownBy(() -> cached.findDefinition("crm-1"))
                        .as("admin reads always go to the database")
                        .isInstanceOf(StoreException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void aRestartOnANewPoolKeepsTheMerchantsSetup(JdbcDialect dialect) {
        try (ConfigFixture db = ConfigFixture.open(dialect)) {
            Versioned<ActionDefinition> saved;
            try (HikariDataSource before = db.separatePool("before-restart", 3);
                    JdbcDefinitionSource definitions =
                            db.definitions(before, executors).build();
                    JdbcIntegrationSettings integrations = db.integrations().build()) {
                definitions.createDefinition(definition("crm-2", "checkout-1"));
                saved = definitions.updateDefinition(
                        definition("crm-2", "checkout-1").withEnabled(false), 1);
                definitions.createSubscription(
                        Subscription.of("sub-2", ShopEventType.REFUND_APPLIED, List.of("crm-2")));
                definitions.setEventEnabled(ShopEventType.CONTACT_CREATED, false);
                integrations.save(IntegrationSetting.enabled("kajabi"));
                integrations.save(IntegrationSetting.enabled("systemeio", Secret.of("sk-restart")));
            }

            try (HikariDataSource after = db.separatePool("after-restart", 3);
                    JdbcDefinitionSource definitions =
                            db.definitions(after, executors).build();
                    JdbcIntegrationSettings integrations = JdbcIntegrationSettings.builder()
                            .dataSource(after)
                            .tablePrefix(db.prefix)
                            .secretCodec(ConfigFixture.CODEC)
                            .build()) {
                assertThat(definitions.findDefinition("crm-2")).contains(saved);
                assertThat(definitions.forCheckout("checkout-1")).containsExactly(saved.value());
                assertThat(definitions.subscriptions(ShopEventType.REFUND_APPLIED))
                        .extracting(Subscription::id)
                        .containsExactly("sub-2");
                assertThat(definitions.eventEnabled(ShopEventType.CONTACT_CREATED))
                        .isFalse();
                assertThat(integrations.isEnabled("kajabi")).isTrue();
                assertThat(integrations.apiKey("systemeio")).contains(Secret.of("sk-restart"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void theSchemaMigratesAgainWhenItsVersionTableIsLostAndKeepsTheConfiguration(JdbcDialect dialect)
            throws SQLException {
        try (ConfigFixture db = ConfigFixture.open(dialect);
                JdbcDefinitionSource definitions = db.definitions(executors).build()) {
            definitions.createDefinition(definition("crm-3", "checkout-1"));
            long configVersion = configVersion(db);
            try (Connection c = db.dataSource.getConnection();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("DROP TABLE " + db.prefix + "schema_version");
            }

            assertThat(definitions.migrate()).isEqualTo(JdbcSchema.latestVersion());

            assertThat(configVersion(db))
                    .as("the version row is kept, not reset")
                    .isEqualTo(configVersion);
            assertThat(definitions.findDefinition("crm-3")).isPresent();
        }
    }

    private static long configVersion(ConfigFixture db) throws SQLException {
        try (Connection c = db.dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM " + db.prefix + "config_version WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static ActionDefinition definition(String id, String checkout) {
        return TestDefinitions.definition(
                id, "crm", ActionLevel.CHECKOUT, checkout, Map.of("url", "https://crm.example/"));
    }
}
