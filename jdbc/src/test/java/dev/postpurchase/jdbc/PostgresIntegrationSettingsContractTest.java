package dev.postpurchase.jdbc;

import dev.postpurchase.core.spi.IntegrationSettingsStore;
import dev.postpurchase.testing.AbstractIntegrationSettingsContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresIntegrationSettingsContractTest extends AbstractIntegrationSettingsContractTest {
    private static ConfigFixture db;

    @BeforeAll
    static void openDatabase() {
        db = ConfigFixture.open(JdbcDialect.POSTGRESQL);
    }

    @AfterAll
    static void dropTables() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected IntegrationSettingsStore createSettings() {
        db.truncate();
        return db.integrations().build();
    }
}
