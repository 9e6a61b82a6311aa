package dev.postpurchase.jdbc;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.testing.AbstractDefinitionSourceContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class MariaDbDefinitionSourceContractTest extends AbstractDefinitionSourceContractTest {
    private static ConfigFixture db;

    @BeforeAll
    static void openDatabase() {
        db = ConfigFixture.open(JdbcDialect.MARIADB);
    }

    @AfterAll
    static void dropTables() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected DefinitionStore createStore(ActionExecutors executors) {
        db.truncate();
        return db.definitions(executors).build();
    }
}
