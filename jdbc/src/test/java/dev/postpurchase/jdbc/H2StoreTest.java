package dev.postpurchase.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

class H2StoreTest extends AbstractJdbcStoreTest {
    @Override
    JdbcDialect dialect() {
        return JdbcDialect.H2;
    }

    @Override
    String unreachableUrl() {
        return "jdbc:h2:tcp://127.0.0.1:1/mem:nothing";
    }

    @Override
    void bindTime(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    String failedRunsIndex() {
        return "run_status_created_idx";
    }

    @Override
    void analyze() throws SQLException {
        execute("ANALYZE");
    }
}
