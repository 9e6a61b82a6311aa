package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.spi.SecretCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * H2 2.x, the embedded default: the portable algorithms of {@link RunSql} with {@code CURRENT_TIMESTAMP} as the
 * clock (times are {@code TIMESTAMP(9) WITH TIME ZONE}). Meant for one process; other nodes would find new work by
 * polling.
 */
public final class H2RunSql extends RunSql {
    public H2RunSql(String prefix, Instants instants, SecretCodec codec) {
        super(prefix, instants, codec);
    }

    @Override
    protected String now() {
        return "CURRENT_TIMESTAMP(9)";
    }

    @Override
    protected String nowMinusMillis() {
        return "DATEADD(MILLISECOND, -?, CURRENT_TIMESTAMP(9))";
    }

    @Override
    public void nodeAlive(Connection c, String nodeId, String types) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO " + nodeTable
                + " (node_id, action_types, seen_at) KEY (node_id) VALUES (?, ?, CURRENT_TIMESTAMP(9))")) {
            ps.setString(1, nodeId);
            ps.setString(2, types);
            ps.executeUpdate();
        }
    }
}
