package dev.postpurchase.jdbc;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** H2: no notifications; the other node finds the edit by checking the shared version every 200 ms. */
class H2ConfigurationAcrossNodesTest extends AbstractConfigurationAcrossNodesTest {
    private static ConfigFixture db;

    @BeforeAll
    static void openDatabase() {
        db = ConfigFixture.open(JdbcDialect.H2);
    }

    @AfterAll
    static void dropTables() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    ConfigFixture db() {
        return db;
    }

    @Override
    JdbcDefinitionSource.Builder tune(JdbcDefinitionSource.Builder builder) {
        return builder.refreshInterval(Duration.ofMillis(200));
    }

    @Override
    JdbcIntegrationSettings.Builder tune(JdbcIntegrationSettings.Builder builder) {
        return builder.refreshInterval(Duration.ofMillis(200));
    }
}
