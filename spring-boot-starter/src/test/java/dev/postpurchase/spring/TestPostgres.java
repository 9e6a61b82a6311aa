package dev.postpurchase.spring;

import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.jdbc.JdbcSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The local PostgreSQL of the tests (PP_TEST_PG_URL / _USER / _PASSWORD, default 127.0.0.1:5432/test as postgres),
 * with tables of a prefix unique to these tests, dropped and recreated for each application context.
 */
final class TestPostgres {
    static final String URL = env("PP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("PP_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("PP_TEST_PG_PASSWORD", "");
    /** A fixed test key (Base64 of 32 bytes); never use a key from a repository in production. */
    static final String SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private TestPostgres() {}

    /** Drops the prefix's tables and the shop table, and points the application at the test database. */
    static void reset(DynamicPropertyRegistry registry, String prefix, String shopTable) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement s = c.createStatement()) {
            for (String drop : JdbcSchema.dropStatements(JdbcDialect.POSTGRESQL, prefix)) {
                s.execute(drop);
            }
            s.execute("DROP TABLE IF EXISTS " + shopTable);
            s.execute("CREATE TABLE " + shopTable + " (id VARCHAR(100) PRIMARY KEY)");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "the local PostgreSQL is not reachable at " + URL + ": start it or set PP_TEST_PG_URL", e);
        }
        registry.add("spring.datasource.url", () -> URL);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
        registry.add("postpurchase.jdbc.table-prefix", () -> prefix);
        registry.add("postpurchase.secret-key", () -> SECRET_KEY);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
