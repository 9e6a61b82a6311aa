package dev.postpurchase.jdbc;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** MariaDB, dumped with {@code mariadb-dump} (every table of the fixture's prefix). */
class MariaDbSecretsAtRestTest extends AbstractSecretsAtRestTest {
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
    ConfigFixture db() {
        return db;
    }

    @Override
    String dump() throws Exception {
        URI uri = URI.create(db.settings.url().substring("jdbc:".length()));
        List<String> command = new ArrayList<>(List.of(
                "mariadb-dump",
                "--host=" + uri.getHost(),
                "--port=" + (uri.getPort() < 0 ? 3306 : uri.getPort()),
                "--user=" + db.settings.user(),
                "--skip-extended-insert",
                uri.getPath().substring(1)));
        command.addAll(tables());
        return run(command, Map.of("MYSQL_PWD", db.settings.password()));
    }

    private static List<String> tables() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = db.dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW TABLES LIKE '" + db.prefix.replace("_", "\\_") + "%'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
