package dev.postpurchase.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

class MariaDbStoreTest extends AbstractJdbcStoreTest {
    @Override
    JdbcDialect dialect() {
        return JdbcDialect.MARIADB;
    }

    @Override
    String unreachableUrl() {
        return "jdbc:mariadb://127.0.0.1:1/test";
    }

    @Override
    void bindTime(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    String failedRunsIndex() {
        return "run_status_created_idx";
    }

    @Override
    void analyze() throws SQLException {
        execute("ANALYZE TABLE " + db.prefix + "run");
    }
}
