package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.StoreException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.spi.DefinitionQuery;
import dev.postpurchase.core.spi.Versioned;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code <prefix>definition} table: each definition's whole JSON sealed by the secret codec (bound to the row's
 * id) in {@code definition_enc}, and the plain columns lookups and listings need.
 */
public final class DefinitionTable {
    private static final String COLUMNS = "id, definition_enc, version, created_at, updated_at";

    /** What a write needs to know about a stored definition without decrypting it. */
    public record Head(String type, long version, Instant createdAt) {}

    private final ConfigStorage storage;
    private final String table;
    private final SealedColumn sealed;
    private final String insert;
    private final String update;
    private final String selectHead;
    private final String selectOne;
    private final String selectOnTarget;
    private final String delete;

    public DefinitionTable(ConfigStorage storage) {
        this.storage = storage;
        this.table = storage.prefix() + "definition";
        this.sealed = new SealedColumn(storage, "definition", table, "id", "definition_enc");
        this.insert = "INSERT INTO " + table + " (id, action_type, name, action_level, target_id, enabled,"
                + " definition_enc, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.update = "UPDATE " + table + " SET name = ?, action_level = ?, target_id = ?, enabled = ?,"
                + " definition_enc = ?, version = ?, updated_at = ? WHERE id = ?";
        this.selectHead = "SELECT action_type, version, created_at FROM " + table + " WHERE id = ?";
        this.selectOne = "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?";
        this.selectOnTarget =
                "SELECT " + COLUMNS + " FROM " + table + " WHERE action_level = ? AND target_id = ? ORDER BY id";
        this.delete = "DELETE FROM " + table + " WHERE id = ?";
    }

    /** Inserts a new definition at version 1; a duplicate id surfaces as the driver's unique violation. */
    public void insert(Connection c, ActionDefinition d, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, d.id());
            ps.setString(2, d.type());
            ps.setString(3, d.name());
            ps.setString(4, d.level().name());
            ps.setString(5, d.targetId());
            ps.setBoolean(6, d.enabled());
            ps.setString(7, seal(d));
            ps.setLong(8, 1);
            storage.instants().set(ps, 9, now);
            storage.instants().set(ps, 10, now);
            ps.executeUpdate();
        }
    }

    /** Replaces a definition's row (its type stays). */
    public void update(Connection c, ActionDefinition d, long version, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(update)) {
            ps.setString(1, d.name());
            ps.setString(2, d.level().name());
            ps.setString(3, d.targetId());
            ps.setBoolean(4, d.enabled());
            ps.setString(5, seal(d));
            ps.setLong(6, version);
            storage.instants().set(ps, 7, now);
            ps.setString(8, d.id());
            ps.executeUpdate();
        }
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    public Optional<Head> head(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectHead)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Head(
                                rs.getString(1),
                                rs.getLong(2),
                                storage.instants().require(rs, 3)))
                        : Optional.empty();
            }
        }
    }

    public Optional<Versioned<ActionDefinition>> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectOne)) {
            ps.setString(1, id);
            List<Versioned<ActionDefinition>> found = readAll(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** The definitions hanging on one product, offer or checkout, by id. */
    public List<Versioned<ActionDefinition>> onTarget(Connection c, ActionLevel level, String targetId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectOnTarget)) {
            ps.setString(1, level.name());
            ps.setString(2, targetId);
            return readAll(ps);
        }
    }

    /** Up to {@code query.limit() + 1} definitions the query selects, by id: one more tells whether a page follows. */
    public List<Versioned<ActionDefinition>> page(Connection c, DefinitionQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + table + " WHERE 1 = 1");
        List<String> values = new ArrayList<>();
        if (query.level() != null) {
            sql.append(" AND action_level = ?");
            values.add(query.level().name());
        }
        if (query.targetId() != null) {
            sql.append(" AND target_id = ?");
            values.add(query.targetId());
        }
        if (query.type() != null) {
            sql.append(" AND action_type = ?");
            values.add(query.type());
        }
        if (query.after() != null) {
            sql.append(" AND id > ?");
            values.add(query.after());
        }
        sql.append(" ORDER BY id LIMIT ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                ps.setString(i + 1, values.get(i));
            }
            ps.setInt(values.size() + 1, query.limit() + 1);
            return readAll(ps);
        }
    }

    /** The types of those of {@code ids} that exist. */
    public Map<String, String> typesOf(Connection c, Collection<String> ids) throws SQLException {
        Map<String, String> types = new HashMap<>();
        for (String id : ids) {
            head(c, id).ifPresent(h -> types.put(id, h.type()));
        }
        return types;
    }

    /** Rewrites the definitions sealed with a previous key; see {@link SealedColumn#reEncrypt()}. */
    public int reEncrypt() {
        return sealed.reEncrypt();
    }

    private List<Versioned<ActionDefinition>> readAll(PreparedStatement ps) throws SQLException {
        List<Versioned<ActionDefinition>> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                result.add(new Versioned<>(
                        open(id, rs.getString(2)),
                        rs.getLong(3),
                        storage.instants().require(rs, 4),
                        storage.instants().require(rs, 5)));
            }
        }
        return result;
    }

    private String seal(ActionDefinition d) {
        return sealed.seal(d.id(), PostpurchaseJson.write(d));
    }

    private ActionDefinition open(String id, String value) {
        String json = sealed.open(id, value);
        try {
            return PostpurchaseJson.read(json, ActionDefinition.class, "definition");
        } catch (ValidationException e) {
            // the fields only: the message of a JSON error may quote part of a config
            throw new StoreException("the stored definition " + id + " cannot be read (fields " + e.fields() + ")", e);
        }
    }
}
