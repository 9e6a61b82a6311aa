package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.spi.Versioned;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code <prefix>subscription} table with its ordered {@code <prefix>subscription_definition} rows (a foreign
 * key keeps a named definition from being deleted), and the {@code <prefix>event_switch} table. Nothing here is
 * secret: subscriptions name definitions by id.
 */
public final class SubscriptionTable {
    private static final String COLUMNS =
            "s.id, s.event_type, s.sources, s.enabled, s.version, s.created_at, s.updated_at, d.definition_id";

    /** What a write needs to know about a stored subscription. */
    public record Head(long version, Instant createdAt) {}

    private final ConfigStorage storage;
    private final String subscriptions;
    private final String members;
    private final String selectJoined;

    public SubscriptionTable(ConfigStorage storage) {
        this.storage = storage;
        this.subscriptions = storage.prefix() + "subscription";
        this.members = storage.prefix() + "subscription_definition";
        this.selectJoined = "SELECT " + COLUMNS + " FROM " + subscriptions + " s JOIN " + members
                + " d ON d.subscription_id = s.id";
    }

    /** Inserts a new subscription at version 1; a duplicate id surfaces as the driver's unique violation. */
    public void insert(Connection c, Subscription s, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + subscriptions
                        + " (id, event_type, sources, enabled, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.eventType().name());
            ps.setString(3, sources(s.sources()));
            ps.setBoolean(4, s.enabled());
            ps.setLong(5, 1);
            storage.instants().set(ps, 6, now);
            storage.instants().set(ps, 7, now);
            ps.executeUpdate();
        }
        insertMembers(c, s);
    }

    /** Replaces a subscription's row and its definitions. */
    public void update(Connection c, Subscription s, long version, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + subscriptions
                + " SET event_type = ?, sources = ?, enabled = ?, version = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, s.eventType().name());
            ps.setString(2, sources(s.sources()));
            ps.setBoolean(3, s.enabled());
            ps.setLong(4, version);
            storage.instants().set(ps, 5, now);
            ps.setString(6, s.id());
            ps.executeUpdate();
        }
        deleteMembers(c, s.id());
        insertMembers(c, s);
    }

    public void delete(Connection c, String id) throws SQLException {
        deleteMembers(c, id);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + subscriptions + " WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    public Optional<Head> head(Connection c, String id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT version, created_at FROM " + subscriptions + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Head(rs.getLong(1), storage.instants().require(rs, 2)))
                        : Optional.empty();
            }
        }
    }

    public Optional<Versioned<Subscription>> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectJoined + " WHERE s.id = ? ORDER BY d.position")) {
            ps.setString(1, id);
            List<Versioned<Subscription>> found = readAll(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** The subscriptions of one event type, by id. */
    public List<Versioned<Subscription>> ofType(Connection c, ShopEventType type) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(selectJoined + " WHERE s.event_type = ? ORDER BY s.id, d.position")) {
            ps.setString(1, type.name());
            return readAll(ps);
        }
    }

    /** The ids of the subscriptions that name a definition, by id. */
    public List<String> naming(Connection c, String definitionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT subscription_id FROM " + members
                + " WHERE definition_id = ? ORDER BY subscription_id")) {
            ps.setString(1, definitionId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** Every event type with its switch; types without a row (or unknown to this release) are on. */
    public Map<ShopEventType, Boolean> switches(Connection c) throws SQLException {
        Map<ShopEventType, Boolean> switches = new EnumMap<>(ShopEventType.class);
        for (ShopEventType type : ShopEventType.values()) {
            switches.put(type, true);
        }
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT event_type, enabled FROM " + storage.prefix() + "event_switch");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Optional<ShopEventType> type = eventType(rs.getString(1));
                if (type.isPresent()) {
                    switches.put(type.get(), rs.getBoolean(2));
                }
            }
        }
        return switches;
    }

    public void setSwitch(Connection c, ShopEventType type, boolean enabled, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(storage.sql().upsertEventSwitch())) {
            ps.setString(1, type.name());
            ps.setBoolean(2, enabled);
            storage.instants().set(ps, 3, now);
            ps.executeUpdate();
        }
    }

    private void insertMembers(Connection c, Subscription s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + members + " (subscription_id, position, definition_id) VALUES (?, ?, ?)")) {
            List<String> ids = s.definitionIds();
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(1, s.id());
                ps.setInt(2, i);
                ps.setString(3, ids.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void deleteMembers(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + members + " WHERE subscription_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    /** A subscription's own columns, read once per subscription from the joined rows. */
    private record Row(
            String id,
            ShopEventType type,
            Set<EventSource> sources,
            boolean enabled,
            long version,
            Instant createdAt,
            Instant updatedAt) {

        Versioned<Subscription> with(List<String> definitionIds) {
            return new Versioned<>(
                    new Subscription(id, type, definitionIds, sources, enabled), version, createdAt, updatedAt);
        }
    }

    /** Rows of {@link #selectJoined}, one per definition, ordered by subscription: folded into subscriptions. */
    private List<Versioned<Subscription>> readAll(PreparedStatement ps) throws SQLException {
        List<Versioned<Subscription>> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            Row current = null;
            List<String> definitionIds = new ArrayList<>();
            while (rs.next()) {
                String id = rs.getString(1);
                if (current == null || !current.id().equals(id)) {
                    if (current != null) {
                        result.add(current.with(definitionIds));
                    }
                    current = new Row(
                            id,
                            ShopEventType.valueOf(rs.getString(2)),
                            parseSources(rs.getString(3)),
                            rs.getBoolean(4),
                            rs.getLong(5),
                            storage.instants().require(rs, 6),
                            storage.instants().require(rs, 7));
                    definitionIds = new ArrayList<>();
                }
                definitionIds.add(rs.getString(8));
            }
            if (current != null) {
                result.add(current.with(definitionIds));
            }
        }
        return result;
    }

    private static String sources(Set<EventSource> sources) {
        return sources.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    private static Set<EventSource> parseSources(String text) {
        Set<EventSource> sources = EnumSet.noneOf(EventSource.class);
        for (String name : text.split(",")) {
            sources.add(EventSource.valueOf(name.strip()));
        }
        return sources;
    }

    private static Optional<ShopEventType> eventType(String name) {
        try {
            return Optional.of(ShopEventType.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
