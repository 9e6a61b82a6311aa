package dev.postpurchase.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** H2, dumped with its {@code SCRIPT} command (the whole in-memory database of the fixture). */
class H2SecretsAtRestTest extends AbstractSecretsAtRestTest {
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
    String dump() throws Exception {
        StringBuilder script = new StringBuilder();
        try (Connection c = db.dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SCRIPT")) {
            while (rs.next()) {
                script.append(rs.getString(1)).append('\n');
            }
        }
        return script.toString();
    }
}
