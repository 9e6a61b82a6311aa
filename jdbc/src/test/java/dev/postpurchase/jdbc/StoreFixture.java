package dev.postpurchase.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.testing.TestCodecs;

/**
 * One pool and one migrated table prefix for a test class, dropped again by {@link #close()}. {@link #freshStore()}
 * empties the tables and returns a store on them.
 */
final class StoreFixture implements AutoCloseable {
    final JdbcDialect dialect;
    final TestDatabases.Settings settings;
    final HikariDataSource dataSource;
    final String prefix;
    final JdbcActionStateStore store;

    private StoreFixture(JdbcDialect dialect, int poolSize) {
        this.dialect = dialect;
        this.settings = TestDatabases.settings(dialect);
        this.dataSource = TestDatabases.pool(settings, "fixture-" + dialect, poolSize);
        this.prefix = TestDatabases.uniquePrefix();
        this.store = newStore();
        store.migrate();
    }

    static StoreFixture open(JdbcDialect dialect) {
        return new StoreFixture(dialect, 12);
    }

    JdbcActionStateStore newStore() {
        return JdbcActionStateStore.builder()
                .dataSource(dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(dialect)
                .tablePrefix(prefix)
                .build();
    }

    /** Another pool on the same database, as a separate node would have; the caller closes it. */
    HikariDataSource separatePool(String name, int size) {
        return TestDatabases.pool(settings, name, size);
    }

    /** Another pool whose sessions carry {@code name} as their application name (PostgreSQL). */
    HikariDataSource separatePoolNamed(String name, int size) {
        return TestDatabases.pool(settings, name, size, name);
    }

    /** A store on another pool, sharing this fixture's tables. */
    JdbcActionStateStore storeOn(javax.sql.DataSource pool) {
        return JdbcActionStateStore.builder()
                .dataSource(pool)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(dialect)
                .tablePrefix(prefix)
                .build();
    }

    JdbcActionStateStore freshStore() {
        TestDatabases.truncate(dataSource, prefix);
        return newStore();
    }

    @Override
    public void close() {
        try {
            store.close();
            TestDatabases.dropTables(dataSource, prefix, "orders");
        } finally {
            dataSource.close();
        }
    }
}
