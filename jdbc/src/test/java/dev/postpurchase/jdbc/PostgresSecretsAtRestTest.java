package dev.postpurchase.jdbc;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** PostgreSQL, dumped with {@code pg_dump} (schema and data of every table of the fixture's prefix). */
class PostgresSecretsAtRestTest extends AbstractSecretsAtRestTest {
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
    ConfigFixture db() {
        return db;
    }

    @Override
    String dump() throws Exception {
        URI uri = URI.create(db.settings.url().substring("jdbc:".length()));
        return run(
                List.of(
                        "pg_dump",
                        "--host=" + uri.getHost(),
                        "--port=" + (uri.getPort() < 0 ? 5432 : uri.getPort()),
                        "--username=" + db.settings.user(),
                        "--no-password",
                        "--table=" + db.prefix + "*",
                        uri.getPath().substring(1)),
                Map.of("PGPASSWORD", db.settings.password()));
    }
}
