package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.spi.SecretCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * MariaDB 10.6+ and MySQL 8.0+: the portable algorithms of {@link RunSql} with {@code UTC_TIMESTAMP(6)} as the
 * clock (times are {@code DATETIME(6)} in UTC). Without {@code UPDATE ... RETURNING}, a claim is a locking read with
 * {@code SKIP LOCKED} and an update in one transaction. Other nodes find new work by polling.
 */
public final class MariaDbRunSql extends RunSql {
    public MariaDbRunSql(String prefix, Instants instants, SecretCodec codec) {
        super(prefix, instants, codec);
    }

    @Override
    protected String now() {
        return "UTC_TIMESTAMP(6)";
    }

    @Override
    protected String nowMinusMillis() {
        return "TIMESTAMPADD(MICROSECOND, -1000 * ?, UTC_TIMESTAMP(6))";
    }

    @Override
    protected boolean checkTriggerFirst() {
        return true;
    }

    /** A consistent (snapshot) read of a REPEATABLE READ caller could miss the other creator's runs. */
    @Override
    protected String latestCommittedRead() {
        return " LOCK IN SHARE MODE";
    }

    @Override
    public void nodeAlive(Connection c, String nodeId, String types) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + nodeTable
                + " (node_id, action_types, seen_at) VALUES (?, ?, UTC_TIMESTAMP(6))"
                + " ON DUPLICATE KEY UPDATE action_types = VALUES(action_types), seen_at = VALUES(seen_at)")) {
            ps.setString(1, nodeId);
            ps.setString(2, types);
            ps.executeUpdate();
        }
    }
}
