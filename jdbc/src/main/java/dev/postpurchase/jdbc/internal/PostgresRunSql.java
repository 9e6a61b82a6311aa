package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.RecordedOutcomes;
import dev.postpurchase.core.spi.SecretCodec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * PostgreSQL 12+: each hot-path operation is one statement in its own (auto-commit) transaction.
 *
 * <ul>
 *   <li>A claim is {@code UPDATE ... WHERE ctid = ANY(ARRAY(SELECT ctid ... FOR UPDATE SKIP LOCKED LIMIT n))
 *       RETURNING ...}: concurrent claimers never wait for each other and never get the same run. It and the outcome
 *       statement live in functions of the schema ({@code <prefix>claim_due}, {@code <prefix>record_outcomes}) whose
 *       planner settings are pinned, so their plans do not depend on the table's statistics, and which plan each
 *       statement once per session (a generic plan, schema version 8) instead of on every call.
 *   <li>A batch of outcomes is one statement: the new states come in as arrays, the runs are updated where their
 *       claimed version and owner still hold, and the triggers whose last unfinished run succeeded are completed in
 *       the same statement, marked with the batch's id so exactly one batch reports each.
 *   <li>Leases of a node are renewed with one {@code UPDATE ... WHERE id = ANY(?)}.
 *   <li>Creating runs and making a run due again sends {@code NOTIFY <prefix>work} with this store's token, in the
 *       same transaction; the store's own listeners ignore their own token (its pipeline was woken directly). In a
 *       caller's transaction the token is left out: the commit, which only the database sees, must wake this node
 *       too.
 * </ul>
 */
public final class PostgresRunSql extends RunSql {
    private final String channel;
    private final String token;
    private final Predicate<Connection> callersConnection;
    private final String claimDue;
    private final String claimStale;
    private final String recordOutcomes;
    /** Where each run this store claimed lives (its row address), so its outcome is written without an index lookup. */
    private final Map<String, String> addresses = new ConcurrentHashMap<>();

    /**
     * @param token the payload of this store's notifications, which its own listeners ignore
     * @param callersConnection whether a connection is a caller's (its notifications then carry no token)
     */
    public PostgresRunSql(
            String prefix,
            Instants instants,
            SecretCodec codec,
            String channel,
            String token,
            Predicate<Connection> callersConnection) {
        super(prefix, instants, codec);
        this.channel = channel;
        this.token = token;
        this.callersConnection = callersConnection;
        this.claimDue = "SELECT * FROM " + prefix + "claim_due(?, ?, ?)";
        this.claimStale = "SELECT * FROM " + prefix + "claim_stale(?, ?, ?, ?)";
        this.recordOutcomes = "SELECT * FROM " + prefix + "record_outcomes(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    @Override
    protected String now() {
        return "now()";
    }

    @Override
    protected String nowMinusMillis() {
        return "(now() - ? * interval '1 millisecond')";
    }

    /** A row comparison, which PostgreSQL answers as one range of the (created_at, id) index. */
    @Override
    protected String olderThanCursor() {
        return "created_at <= ? AND (created_at, id) < (?, ?)";
    }

    @Override
    public boolean notifiesWork() {
        return true;
    }

    @Override
    protected void notifyWork(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, callersConnection.test(c) ? "" : token);
            ps.executeQuery().close();
        }
    }

    @Override
    protected Optional<Instant> insertTrigger(Connection c, Trigger trigger, int unfinished) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + triggerTable
                + " (trigger_key, kind, trigger_id, payload_json, created_at, completed_at, unfinished_runs, order_id,"
                + " trace_parent) VALUES (?, ?, ?, ?, now(), CASE WHEN ? THEN now() END, ?, ?, ?)"
                + " ON CONFLICT (trigger_key) DO NOTHING RETURNING created_at")) {
            ps.setString(1, trigger.key());
            ps.setString(2, trigger.kind().name());
            ps.setString(3, trigger.id());
            ps.setString(4, trigger.payloadJson());
            ps.setBoolean(5, unfinished == 0);
            ps.setInt(6, unfinished);
            ps.setString(7, trigger.orderId());
            ps.setString(8, trigger.traceParent());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(instants.require(rs, 1)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Trigger> triggers(Connection c, List<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + RunRows.TRIGGER_COLUMNS + " FROM " + triggerTable + " WHERE trigger_key = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray(new String[0])));
            return readTriggers(ps);
        }
    }

    @Override
    public List<ActionRun> claim(Jdbc jdbc, ClaimRequest request) {
        List<ActionRun> claimed = jdbc.autoCommit("claiming runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(claimDue)) {
                ps.setString(1, request.owner());
                ps.setArray(2, texts(c, request.types()));
                ps.setInt(3, request.limit());
                return readClaimed(ps);
            }
        });
        int room = request.limit() - claimed.size();
        if (!request.recoverStale() || room <= 0 || request.recoverableTypes().isEmpty()) {
            return claimed;
        }
        List<ActionRun> recovered = jdbc.autoCommit("recovering abandoned runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(claimStale)) {
                ps.setString(1, request.owner());
                ps.setLong(2, request.leaseDuration().toMillis());
                ps.setArray(3, texts(c, request.recoverableTypes()));
                ps.setInt(4, room);
                return readClaimed(ps);
            }
        });
        List<ActionRun> all = new ArrayList<>(claimed);
        all.addAll(recovered);
        return all;
    }

    private List<ActionRun> readClaimed(PreparedStatement ps) throws SQLException {
        List<ActionRun> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ActionRun run = rows.read(rs);
                addresses.put(run.id(), rs.getString(RunRows.SNAPSHOT_WIDTH + RunRows.STATE_WIDTH + 1));
                result.add(run);
            }
        }
        return result;
    }

    @Override
    public RecordedOutcomes recordOutcomes(Jdbc jdbc, List<AttemptResult> outcomes) {
        List<AttemptResult> sorted = new ArrayList<>(outcomes);
        sorted.sort((a, b) -> a.runId().compareTo(b.runId())); // lock runs in key order, as lease renewals do
        int n = sorted.size();
        String[] ids = new String[n];
        String[] tids = new String[n];
        String[] owners = new String[n];
        Long[] versions = new Long[n];
        String[] statuses = new String[n];
        Long[] delays = new Long[n];
        String[] errors = new String[n];
        Integer[] codes = new Integer[n];
        String[] results = new String[n];
        String[] skips = new String[n];
        String[] attempts = new String[n];
        for (int i = 0; i < n; i++) {
            AttemptResult o = sorted.get(i);
            ids[i] = o.runId();
            tids[i] = addresses.remove(o.runId());
            owners[i] = o.owner();
            versions[i] = o.claimedVersion();
            statuses[i] = o.status().name();
            Duration delay = o.retryDelay();
            delays[i] = delay == null ? null : delay.toMillis();
            errors[i] = o.error();
            codes[i] = o.statusCode();
            results[i] = o.result();
            skips[i] = o.skipReason();
            AttemptRecord attempt = o.attempt();
            attempts[i] = attempt == null ? null : PostpurchaseJson.write(attempt);
        }
        String batch = UUID.randomUUID().toString();
        return jdbc.autoCommit("recording run outcomes", c -> {
            Map<String, RunState> states = new LinkedHashMap<>();
            Map<String, TriggerCompletion> completed = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(recordOutcomes)) {
                ps.setArray(1, c.createArrayOf("text", ids));
                ps.setArray(2, c.createArrayOf("text", tids));
                ps.setArray(3, c.createArrayOf("text", owners));
                ps.setArray(4, c.createArrayOf("int8", versions));
                ps.setArray(5, c.createArrayOf("text", statuses));
                ps.setArray(6, c.createArrayOf("int8", delays));
                ps.setArray(7, c.createArrayOf("text", errors));
                ps.setArray(8, c.createArrayOf("int4", codes));
                ps.setArray(9, c.createArrayOf("text", results));
                ps.setArray(10, c.createArrayOf("text", skips));
                ps.setArray(11, c.createArrayOf("text", attempts));
                ps.setString(12, batch);
                try (ResultSet rs = ps.executeQuery()) {
                    int after = 3 + RunRows.STATE_WIDTH;
                    while (rs.next()) {
                        states.put(rs.getString(1), rows.readState(rs, 3));
                        if (rs.getBoolean(after + 3)) {
                            completed.computeIfAbsent(rs.getString(2), k -> completion(rs, after));
                        }
                    }
                }
            }
            return new RecordedOutcomes(states, new ArrayList<>(completed.values()));
        });
    }

    private TriggerCompletion completion(ResultSet rs, int first) {
        try {
            return new TriggerCompletion(
                    TriggerKind.valueOf(rs.getString(first)), rs.getString(first + 1), instants.require(rs, first + 2));
        } catch (SQLException e) {
            throw new IllegalStateException("reading a completion failed", e);
        }
    }

    @Override
    public Set<String> renewLeases(Jdbc jdbc, String owner, Collection<String> runIds) {
        List<String> ids = new ArrayList<>(new TreeSet<>(runIds));
        return jdbc.autoCommit("renewing leases", c -> {
            // owner_id is set only while RUNNING; no status test, so the pk, not the RUNNING index, finds the rows
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + runTable + " SET heartbeat_at = now()"
                    + " WHERE id = ANY(?) AND owner_id = ? RETURNING id, ctid::text")) {
                ps.setArray(1, c.createArrayOf("text", ids.toArray(new String[0])));
                ps.setString(2, owner);
                Set<String> renewed = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        renewed.add(rs.getString(1));
                        addresses.replace(rs.getString(1), rs.getString(2));
                    }
                }
                return renewed;
            }
        });
    }

    @Override
    public void release(Jdbc jdbc, String owner, Collection<ActionRun> claimed) {
        claimed.forEach(run -> addresses.remove(run.id()));
        super.release(jdbc, owner, claimed);
    }

    @Override
    public void nodeAlive(Connection c, String nodeId, String types) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + nodeTable
                + " (node_id, action_types, seen_at) VALUES (?, ?, now()) ON CONFLICT (node_id)"
                + " DO UPDATE SET action_types = EXCLUDED.action_types, seen_at = EXCLUDED.seen_at")) {
            ps.setString(1, nodeId);
            ps.setString(2, types);
            ps.executeUpdate();
        }
    }

    private static Array texts(Connection c, Set<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }
}
