package dev.postpurchase.jdbc;

import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.testing.AbstractActionStateStoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresStoreContractTest extends AbstractActionStateStoreContractTest {
    private static StoreFixture db;

    @BeforeAll
    static void openDatabase() {
        db = StoreFixture.open(JdbcDialect.POSTGRESQL);
    }

    @AfterAll
    static void dropTables() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected ActionStateStore createStore() {
        return db.freshStore();
    }
}
