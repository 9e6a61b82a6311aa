package dev.postpurchase.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A text column whose values the secret codec seals, each bound to its row by the context {@code <kind>:<row id>}:
 * sealing, opening, and rewriting the values of previous keys after a rotation.
 */
public final class SealedColumn {
    private static final int BATCH = 100;

    private final ConfigStorage storage;
    private final String kind;
    private final String selectBatch;
    private final String compareAndSet;

    /**
     * @param kind the context's first part, for example {@code definition}
     * @param table the table, prefix included
     * @param idColumn the table's key column
     * @param column the sealed column; rows where it is NULL are skipped
     */
    public SealedColumn(ConfigStorage storage, String kind, String table, String idColumn, String column) {
        this.storage = storage;
        this.kind = kind;
        this.selectBatch = "SELECT " + idColumn + ", " + column + " FROM " + table + " WHERE " + idColumn + " > ? AND "
                + column + " IS NOT NULL ORDER BY " + idColumn + " LIMIT " + BATCH;
        this.compareAndSet =
                "UPDATE " + table + " SET " + column + " = ? WHERE " + idColumn + " = ? AND " + column + " = ?";
    }

    /** The stored form of {@code plaintext} for row {@code id}. */
    public String seal(String id, String plaintext) {
        return storage.codec().encrypt(plaintext, context(id));
    }

    /** The plaintext of row {@code id}'s stored value; a {@code SecretKeyException} when it cannot be decrypted. */
    public String open(String id, String sealed) {
        return storage.codec().decrypt(sealed, context(id));
    }

    /**
     * Rewrites every value not sealed with the codec's current key, in batches by id, each row by compare-and-set on
     * its old value (a write meanwhile has sealed it with the current key anyway).
     *
     * @return how many values were rewritten
     */
    public int reEncrypt() {
        int rewritten = 0;
        String after = "";
        while (true) {
            List<String[]> rows = readBatch(after);
            for (String[] row : rows) {
                if (storage.codec().needsReEncryption(row[1])) {
                    String resealed = seal(row[0], open(row[0], row[1]));
                    rewritten += storage.rewrite(
                            "re-encrypting " + kind + " " + row[0], c -> compareAndSet(c, row[0], row[1], resealed));
                }
            }
            if (rows.size() < BATCH) {
                return rewritten;
            }
            after = rows.get(rows.size() - 1)[0];
        }
    }

    private List<String[]> readBatch(String after) {
        return storage.read("reading " + kind + " values to re-encrypt", c -> {
            List<String[]> batch = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(selectBatch)) {
                ps.setString(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batch.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            return batch;
        });
    }

    private int compareAndSet(Connection c, String id, String old, String resealed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(compareAndSet)) {
            ps.setString(1, resealed);
            ps.setString(2, id);
            ps.setString(3, old);
            return ps.executeUpdate();
        }
    }

    private String context(String id) {
        return kind + ":" + id;
    }
}
