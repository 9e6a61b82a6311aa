package dev.postpurchase.jdbc.internal;

import dev.postpurchase.jdbc.JdbcDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Binds and reads instants the way each dialect stores them: {@code TIMESTAMPTZ} (PostgreSQL, microseconds), {@code
 * TIMESTAMP WITH TIME ZONE} (H2, nanoseconds), {@code DATETIME(6)} in UTC (MariaDB/MySQL, microseconds). Values are
 * truncated to the column's precision before they are written, so what a caller holds equals what is read back.
 */
public final class Instants {
    private final boolean localUtc;
    private final boolean micros;

    public Instants(JdbcDialect dialect) {
        this.localUtc = dialect == JdbcDialect.MARIADB;
        this.micros = dialect != JdbcDialect.H2;
    }

    /** The instant as the database keeps it. */
    public Instant normalize(Instant value) {
        return micros ? value.truncatedTo(ChronoUnit.MICROS) : value;
    }

    public @Nullable Instant normalizeNullable(@Nullable Instant value) {
        return value == null ? null : normalize(value);
    }

    public void set(PreparedStatement ps, int index, @Nullable Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, localUtc ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
        } else if (localUtc) {
            ps.setObject(index, LocalDateTime.ofInstant(normalize(value), ZoneOffset.UTC));
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(normalize(value), ZoneOffset.UTC));
        }
    }

    public @Nullable Instant get(ResultSet rs, int index) throws SQLException {
        if (localUtc) {
            LocalDateTime value = rs.getObject(index, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public Instant require(ResultSet rs, int index) throws SQLException {
        Instant value = get(rs, index);
        if (value == null) {
            throw new SQLException("column " + index + " is unexpectedly NULL");
        }
        return value;
    }
}
