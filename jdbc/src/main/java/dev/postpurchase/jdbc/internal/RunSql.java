package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.RunSnapshot;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.CreateResult;
import dev.postpurchase.core.spi.RecordedOutcomes;
import dev.postpurchase.core.spi.Requeue;
import dev.postpurchase.core.spi.RunTransitions;
import dev.postpurchase.core.spi.SecretCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The run store's SQL for one database: every statement of {@code JdbcActionStateStore} lives in a subclass of this
 * class, one per dialect. This base class holds what the dialects share and the portable algorithms, which lock the
 * rows they change ({@code SELECT ... FOR UPDATE}, in key order so two writers never deadlock), compute the new states
 * with {@link RunTransitions} and write them back, all in one transaction and with the database's clock. A dialect
 * with richer SQL overrides an operation with fewer round trips ({@link PostgresRunSql}).
 *
 * <p>Methods taking a {@link Jdbc} choose their own transaction; methods taking a {@link Connection} run on the one
 * given. Time is always the database's: nodes whose clocks disagree still agree on what is due and which lease
 * expired.
 */
public abstract class RunSql {
    protected final String runTable;
    protected final String triggerTable;
    protected final String nodeTable;
    protected final Instants instants;
    protected final RunRows rows;
    private final String selectFinishedTriggers;

    protected RunSql(String prefix, Instants instants, SecretCodec codec) {
        this.runTable = prefix + "run";
        this.triggerTable = prefix + "trigger";
        this.nodeTable = prefix + "node";
        this.instants = instants;
        this.rows = new RunRows(instants, codec);
        this.selectFinishedTriggers = "SELECT t.trigger_key FROM " + triggerTable + " t WHERE t.created_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM " + runTable + " r WHERE r.trigger_key = t.trigger_key"
                + " AND (r.status NOT IN ('SUCCEEDED', 'FAILED') OR r.updated_at >= ?))"
                + " ORDER BY t.created_at LIMIT ?";
    }

    /** Whether this database tells listening nodes of new work ({@link #notifyWork}); false: they poll. */
    public boolean notifiesWork() {
        return false;
    }

    /** The SQL expression of the database's current time, in the type of the time columns. */
    protected abstract String now();

    /** {@code now} minus {@code ?} milliseconds, as SQL with one parameter. */
    protected abstract String nowMinusMillis();

    /** Records a node as alive with its types (an upsert). */
    public abstract void nodeAlive(Connection c, String nodeId, String types) throws SQLException;

    /** Tells listening nodes that work was added, in the current transaction; nothing where the database cannot. */
    protected void notifyWork(Connection c) throws SQLException {}

    /** Whether the trigger is looked up before it is inserted (MariaDB's driver logs every duplicate-key error). */
    protected boolean checkTriggerFirst() {
        return false;
    }

    /** The clause that makes a read of the other creator's runs see them after it committed. */
    protected String latestCommittedRead() {
        return "";
    }

    /** The database's current time, read on {@code c}. */
    protected Instant dbNow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + now());
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return instants.require(rs, 1);
        }
    }

    // ---- creation and reads ----------------------------------------------------------------------------------

    /** Inserts the trigger stamped now; empty when it exists already. */
    protected Optional<Instant> insertTrigger(Connection c, Trigger trigger, int unfinished) throws SQLException {
        Instant stamp = dbNow(c);
        if (checkTriggerFirst() && triggerExists(c, trigger.key())) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + triggerTable
                + " (trigger_key, kind, trigger_id, payload_json, created_at, completed_at, unfinished_runs, order_id,"
                + " trace_parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, trigger.key());
            ps.setString(2, trigger.kind().name());
            ps.setString(3, trigger.id());
            ps.setString(4, trigger.payloadJson());
            instants.set(ps, 5, stamp);
            instants.set(ps, 6, unfinished == 0 ? stamp : null);
            ps.setInt(7, unfinished);
            ps.setString(8, trigger.orderId());
            ps.setString(9, trigger.traceParent());
            ps.executeUpdate();
            return Optional.of(instants.normalize(stamp));
        } catch (SQLException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private boolean triggerExists(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + triggerTable + " WHERE trigger_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Creates a trigger and its runs on {@code c}, inside the caller's transaction. */
    public CreateResult create(Connection c, Trigger trigger, List<ActionRun> runs) throws SQLException {
        int unfinished = 0;
        boolean pending = false;
        for (ActionRun run : runs) {
            unfinished += run.status() == RunStatus.SUCCEEDED ? 0 : 1;
            pending |= run.status() == RunStatus.PENDING;
        }
        Optional<Instant> stamp = insertTrigger(c, trigger, unfinished);
        if (stamp.isEmpty()) {
            return CreateResult.existing(selectRuns(c, trigger.key(), true));
        }
        List<ActionRun> stored = new ArrayList<>(runs.size());
        if (!runs.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + runTable + " (" + RunRows.RUN_COLUMNS
                    + ") VALUES (" + placeholders(RunRows.SNAPSHOT_WIDTH + RunRows.STATE_WIDTH) + ")")) {
                for (ActionRun run : runs) {
                    rows.bindInsert(ps, run, stamp.get());
                    ps.addBatch();
                    stored.add(new ActionRun(
                            RunRows.stamped(run.snapshot(), stamp.get()), RunRows.stamped(run.state(), stamp.get())));
                }
                ps.executeBatch();
            } catch (SQLException e) {
                if (SqlErrors.isUniqueViolation(e)) {
                    throw new IllegalArgumentException("a run of " + trigger.key() + " exists already", e);
                }
                throw e;
            }
            if (pending) {
                notifyWork(c);
            }
        }
        TriggerCompletion completion =
                unfinished == 0 ? new TriggerCompletion(trigger.kind(), trigger.id(), stamp.get()) : null;
        return new CreateResult(true, stored, completion);
    }

    public Optional<Trigger> trigger(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + RunRows.TRIGGER_COLUMNS + " FROM " + triggerTable + " WHERE trigger_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rows.readTrigger(rs)) : Optional.empty();
            }
        }
    }

    /** The triggers of the given keys that exist, in one statement. */
    public List<Trigger> triggers(Connection c, List<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.TRIGGER_COLUMNS + " FROM " + triggerTable
                + " WHERE trigger_key IN (" + placeholders(keys.size()) + ")")) {
            bindAll(ps, 1, keys);
            return readTriggers(ps);
        }
    }

    protected List<Trigger> readTriggers(PreparedStatement ps) throws SQLException {
        List<Trigger> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(rows.readTrigger(rs));
            }
        }
        return result;
    }

    public Optional<ActionRun> run(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + RunRows.RUN_COLUMNS + " FROM " + runTable + " WHERE id = ?")) {
            ps.setString(1, runId);
            List<ActionRun> found = readRuns(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** The runs of a trigger, oldest first; {@code latestCommitted} reads what a concurrent creator committed. */
    public List<ActionRun> selectRuns(Connection c, String triggerKey, boolean latestCommitted) throws SQLException {
        String sql = "SELECT " + RunRows.RUN_COLUMNS + " FROM " + runTable
                + " WHERE trigger_key = ? ORDER BY created_at, id" + (latestCommitted ? latestCommittedRead() : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, triggerKey);
            return readRuns(ps);
        }
    }

    protected List<ActionRun> readRuns(PreparedStatement ps) throws SQLException {
        List<ActionRun> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(rows.read(rs));
            }
        }
        return result;
    }

    // ---- the hot path: claim, outcomes, leases ------------------------------------------------------------------

    /** Claims due runs (and, when asked, abandoned ones) as the request says. */
    public List<ActionRun> claim(Jdbc jdbc, ClaimRequest request) {
        return jdbc.inTransaction("claiming runs", c -> {
            Instant stamp = dbNow(c);
            List<ActionRun> claimed = new ArrayList<>(lockAndClaim(
                    c,
                    "status = 'PENDING' AND next_attempt_at <= ?",
                    "next_attempt_at, id",
                    instants.normalize(stamp),
                    request.types(),
                    request.limit(),
                    request.owner(),
                    stamp));
            int room = request.limit() - claimed.size();
            if (request.recoverStale()
                    && room > 0
                    && !request.recoverableTypes().isEmpty()) {
                claimed.addAll(lockAndClaim(
                        c,
                        "status = 'RUNNING' AND heartbeat_at < ?",
                        "heartbeat_at, id",
                        stamp.minus(request.leaseDuration()),
                        request.recoverableTypes(),
                        room,
                        request.owner(),
                        stamp));
            }
            return claimed;
        });
    }

    private List<ActionRun> lockAndClaim(
            Connection c,
            String condition,
            String order,
            Instant bound,
            Set<String> types,
            int limit,
            String owner,
            Instant stamp)
            throws SQLException {
        List<String> typeList = List.copyOf(types);
        List<ActionRun> candidates;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.RUN_COLUMNS + " FROM " + runTable
                + " WHERE " + condition + " AND action_type IN (" + placeholders(typeList.size()) + ") ORDER BY "
                + order + " LIMIT ? FOR UPDATE SKIP LOCKED")) {
            int i = 1;
            instants.set(ps, i++, bound);
            for (String type : typeList) {
                ps.setString(i++, type);
            }
            ps.setInt(i, limit);
            candidates = readRuns(ps);
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<ActionRun> claimed = new ArrayList<>(candidates.size());
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + runTable + " SET " + RunRows.STATE_ASSIGNMENTS + " WHERE id = ? AND version = ?")) {
            for (ActionRun run : candidates) {
                RunState next = RunTransitions.claimed(run.state(), owner, stamp);
                rows.bindState(ps, 1, next);
                ps.setString(RunRows.STATE_WIDTH + 1, run.id());
                ps.setLong(RunRows.STATE_WIDTH + 2, run.version());
                ps.addBatch();
                claimed.add(normalized(run.with(next)));
            }
            ps.executeBatch();
        }
        return claimed;
    }

    /**
     * Records a batch of outcomes in one transaction: locks the batch's runs and then their triggers, each in key
     * order, checks every compare-and-set, writes the new states, and completes the triggers whose last unfinished
     * run succeeded here.
     */
    public RecordedOutcomes recordOutcomes(Jdbc jdbc, List<AttemptResult> outcomes) {
        return jdbc.inTransaction("recording run outcomes", c -> {
            Instant stamp = dbNow(c);
            Map<String, AttemptResult> byId = new TreeMap<>();
            outcomes.forEach(o -> byId.put(o.runId(), o));
            Map<String, RunState> current = new HashMap<>();
            Map<String, String> triggerOf = new HashMap<>();
            Map<String, String> historyOf = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, trigger_key, attempt_history, "
                    + RunRows.STATE_COLUMNS + " FROM " + runTable + " WHERE id IN (" + placeholders(byId.size())
                    + ") ORDER BY id FOR UPDATE")) {
                bindAll(ps, 1, byId.keySet());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        current.put(rs.getString(1), rows.readState(rs, 4));
                        triggerOf.put(rs.getString(1), rs.getString(2));
                        historyOf.put(rs.getString(1), rs.getString(3));
                    }
                }
            }
            Map<String, RunState> recorded = new LinkedHashMap<>();
            Map<String, Integer> succeededByTrigger = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + runTable + " SET " + RunRows.STATE_ASSIGNMENTS
                    + ", attempt_history = ? WHERE id = ? AND version = ?")) {
                for (AttemptResult outcome : byId.values()) {
                    RunState state = current.get(outcome.runId());
                    if (state == null
                            || state.status() != RunStatus.RUNNING
                            || state.version() != outcome.claimedVersion()
                            || !outcome.owner().equals(state.owner())) {
                        continue;
                    }
                    RunState next = RunTransitions.finished(state, outcome, stamp);
                    rows.bindState(ps, 1, next);
                    String history = historyOf.get(outcome.runId());
                    AttemptRecord attempt = outcome.attempt();
                    ps.setString(
                            RunRows.STATE_WIDTH + 1,
                            attempt == null ? history : RunRows.appendAttempt(history, attempt));
                    ps.setString(RunRows.STATE_WIDTH + 2, outcome.runId());
                    ps.setLong(RunRows.STATE_WIDTH + 3, state.version());
                    ps.addBatch();
                    recorded.put(outcome.runId(), normalized(next));
                    if (next.status() == RunStatus.SUCCEEDED) {
                        succeededByTrigger.merge(triggerOf.get(outcome.runId()), 1, Integer::sum);
                    }
                }
                if (!recorded.isEmpty()) {
                    ps.executeBatch();
                }
            }
            List<TriggerCompletion> completed = completeTriggers(c, succeededByTrigger, stamp);
            return new RecordedOutcomes(recorded, completed);
        });
    }

    private List<TriggerCompletion> completeTriggers(Connection c, Map<String, Integer> succeeded, Instant stamp)
            throws SQLException {
        if (succeeded.isEmpty()) {
            return List.of();
        }
        record Open(TriggerKind kind, String id, int unfinished, boolean completed) {}
        Map<String, Open> open = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT trigger_key, kind, trigger_id, unfinished_runs,"
                + " completed_at FROM " + triggerTable + " WHERE trigger_key IN (" + placeholders(succeeded.size())
                + ") ORDER BY trigger_key FOR UPDATE")) {
            bindAll(ps, 1, succeeded.keySet());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.put(
                            rs.getString(1),
                            new Open(
                                    TriggerKind.valueOf(rs.getString(2)),
                                    rs.getString(3),
                                    rs.getInt(4),
                                    instants.get(rs, 5) != null));
                }
            }
        }
        List<TriggerCompletion> completed = new ArrayList<>();
        try (PreparedStatement count = c.prepareStatement(
                        "UPDATE " + triggerTable + " SET unfinished_runs = ? WHERE trigger_key = ?");
                PreparedStatement complete = c.prepareStatement("UPDATE " + triggerTable
                        + " SET unfinished_runs = ?, completed_at = ? WHERE trigger_key = ?")) {
            for (Map.Entry<String, Open> e : open.entrySet()) {
                Open t = e.getValue();
                int left = Math.max(0, t.unfinished() - succeeded.getOrDefault(e.getKey(), 0));
                if (left == 0 && !t.completed()) {
                    complete.setInt(1, 0);
                    instants.set(complete, 2, stamp);
                    complete.setString(3, e.getKey());
                    complete.addBatch();
                    completed.add(new TriggerCompletion(t.kind(), t.id(), instants.normalize(stamp)));
                } else {
                    count.setInt(1, left);
                    count.setString(2, e.getKey());
                    count.addBatch();
                }
            }
            count.executeBatch();
            complete.executeBatch();
        }
        return completed;
    }

    /** Renews the leases of the given runs still held by {@code owner}; returns the ids renewed. */
    public Set<String> renewLeases(Jdbc jdbc, String owner, Collection<String> runIds) {
        List<String> ids = new ArrayList<>(new TreeSet<>(runIds));
        return jdbc.inTransaction("renewing leases", c -> {
            String held = " WHERE id IN (" + placeholders(ids.size()) + ") AND owner_id = ? AND status = 'RUNNING'";
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE " + runTable + " SET heartbeat_at = " + now() + held)) {
                bindAll(ps, 1, ids);
                ps.setString(ids.size() + 1, owner);
                ps.executeUpdate();
            }
            Set<String> renewed = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + runTable + held)) {
                bindAll(ps, 1, ids);
                ps.setString(ids.size() + 1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        renewed.add(rs.getString(1));
                    }
                }
            }
            return renewed;
        });
    }

    /** Gives back unstarted runs held by {@code owner} at the given versions: PENDING and due now. */
    public void release(Jdbc jdbc, String owner, Collection<ActionRun> claimed) {
        jdbc.inTransaction("giving back claimed runs", Jdbc.unit(c -> {
            Instant stamp = dbNow(c);
            int released = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + runTable + " SET " + RunRows.STATE_ASSIGNMENTS
                    + " WHERE id = ? AND owner_id = ? AND status = 'RUNNING' AND version = ?")) {
                for (ActionRun run : claimed) {
                    rows.bindState(ps, 1, RunTransitions.released(run.state(), stamp));
                    ps.setString(RunRows.STATE_WIDTH + 1, run.id());
                    ps.setString(RunRows.STATE_WIDTH + 2, owner);
                    ps.setLong(RunRows.STATE_WIDTH + 3, run.version());
                    ps.addBatch();
                    released++;
                }
                ps.executeBatch();
            }
            if (released > 0) {
                notifyWork(c);
            }
        }));
    }

    /** A manual re-run as a compare-and-set on the expected status and version; empty when the run changed. */
    public Optional<ActionRun> requeue(Jdbc jdbc, Requeue requeue) {
        ActionRun expected = requeue.expected();
        return jdbc.inTransaction("re-running run " + expected.id(), c -> {
            Instant stamp = dbNow(c);
            RunState next = normalized(RunTransitions.requeued(expected.state(), requeue.redeliver(), stamp));
            RunSnapshot snapshot = requeue.newSnapshot();
            String template = snapshot == null ? "" : RunRows.TEMPLATE_ASSIGNMENTS + ", ";
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + runTable + " SET " + template
                    + RunRows.STATE_ASSIGNMENTS + " WHERE id = ? AND status = ? AND version = ?")) {
                int i = 1;
                if (snapshot != null) {
                    rows.bindTemplate(ps, i, snapshot);
                    i += 5;
                }
                rows.bindState(ps, i, next);
                i += RunRows.STATE_WIDTH;
                ps.setString(i++, expected.id());
                ps.setString(i++, expected.status().name());
                ps.setLong(i, expected.version());
                if (ps.executeUpdate() != 1) {
                    return Optional.<ActionRun>empty();
                }
            }
            if (expected.status() == RunStatus.SUCCEEDED) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + triggerTable
                        + " SET unfinished_runs = unfinished_runs + 1 WHERE trigger_key = ?")) {
                    ps.setString(1, expected.triggerKey());
                    ps.executeUpdate();
                }
            }
            notifyWork(c);
            return Optional.of(new ActionRun(snapshot == null ? expected.snapshot() : snapshot, next));
        });
    }

    /**
     * Rewrites, in one transaction, up to {@code limit} config snapshots after {@code afterId} (by id) that are not
     * sealed under the codec's current key. Returns the last id looked at (null when the table is done) and how many
     * were rewritten.
     */
    public ReEncrypted reEncrypt(Connection c, String afterId, int limit) throws SQLException {
        Map<String, String> batch = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, config_json FROM " + runTable + " WHERE id > ? ORDER BY id LIMIT ? FOR UPDATE")) {
            ps.setString(1, afterId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batch.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        int rewritten = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + runTable + " SET config_json = ? WHERE id = ?")) {
            for (Map.Entry<String, String> e : batch.entrySet()) {
                if (rows.needsSealing(e.getValue())) {
                    ps.setString(1, rows.sealConfig(e.getKey(), rows.openConfig(e.getKey(), e.getValue())));
                    ps.setString(2, e.getKey());
                    ps.addBatch();
                    rewritten++;
                }
            }
            if (rewritten > 0) {
                ps.executeBatch();
            }
        }
        String last = null;
        for (String id : batch.keySet()) {
            last = id;
        }
        return new ReEncrypted(batch.size() < limit ? null : last, rewritten);
    }

    /** What one {@link #reEncrypt} step did. */
    public record ReEncrypted(@org.jspecify.annotations.Nullable String lastId, int rewritten) {}

    // ---- staff queries ------------------------------------------------------------------------------------------

    /** A waiting retry brought forward, as a compare-and-set on PENDING and the expected version. */
    public Optional<ActionRun> retryNow(Jdbc jdbc, ActionRun expected) {
        return jdbc.inTransaction("bringing run " + expected.id() + " forward", c -> {
            RunState next = normalized(RunTransitions.dueNow(expected.state(), dbNow(c)));
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + runTable + " SET " + RunRows.STATE_ASSIGNMENTS
                    + " WHERE id = ? AND status = 'PENDING' AND version = ?")) {
                rows.bindState(ps, 1, next);
                ps.setString(RunRows.STATE_WIDTH + 1, expected.id());
                ps.setLong(RunRows.STATE_WIDTH + 2, expected.version());
                if (ps.executeUpdate() != 1) {
                    return Optional.<ActionRun>empty();
                }
            }
            notifyWork(c);
            return Optional.of(expected.with(next));
        });
    }

    /**
     * A page of runs, newest first. A query for one order or event reads its runs through the trigger index; other
     * queries run once per wanted status (each through that status's index) and merge, so history never makes a
     * list slow.
     */
    public RunPage findRuns(Connection c, RunQuery query) throws SQLException {
        List<RunQuery.Status> statuses = query.statuses().isEmpty()
                ? List.of(RunQuery.Status.values())
                : List.copyOf(new TreeSet<>(query.statuses()));
        if (query.triggerKind() != null) {
            return RunPage.of(selectPage(c, query, statuses), query.limit());
        }
        List<ActionRun> merged = new ArrayList<>();
        for (RunQuery.Status status : statuses) {
            merged.addAll(selectPage(c, query, List.of(status)));
        }
        merged.sort(NEWEST_FIRST);
        return RunPage.of(
                merged.size() > query.limit() + 1 ? merged.subList(0, query.limit() + 1) : merged, query.limit());
    }

    private static final java.util.Comparator<ActionRun> NEWEST_FIRST = java.util.Comparator.comparing(
                    ActionRun::createdAt)
            .thenComparing(ActionRun::id)
            .reversed();

    private List<ActionRun> selectPage(Connection c, RunQuery q, List<RunQuery.Status> statuses) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE (");
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            where.append(i == 0 ? "" : " OR ").append(statusCondition(statuses.get(i)));
        }
        where.append(')');
        if (!q.types().isEmpty()) {
            where.append(" AND action_type IN (")
                    .append(placeholders(q.types().size()))
                    .append(')');
            params.addAll(new TreeSet<>(q.types()));
        }
        if (q.definitionId() != null) {
            where.append(" AND definition_id = ?");
            params.add(q.definitionId());
        }
        if (q.level() != null) {
            where.append(" AND action_level = ? AND target_id = ?");
            params.add(q.level().name());
            params.add(q.targetId());
        }
        if (q.triggerKind() != null) {
            where.append(" AND trigger_key = ?");
            params.add(Trigger.key(q.triggerKind(), Objects.requireNonNull(q.triggerId())));
        }
        if (q.createdFrom() != null) {
            where.append(" AND created_at >= ?");
            params.add(q.createdFrom());
        }
        if (q.createdBefore() != null) {
            where.append(" AND created_at < ?");
            params.add(q.createdBefore());
        }
        RunPage.Cursor after = RunPage.Cursor.parse(q.after());
        if (after != null) {
            where.append(" AND ").append(olderThanCursor());
            params.add(after.createdAt());
            params.add(after.createdAt());
            params.add(after.id());
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.RUN_COLUMNS + " FROM " + runTable + where
                + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
            int i = 1;
            for (Object param : params) {
                if (param instanceof Instant instant) {
                    instants.set(ps, i++, instant);
                } else {
                    ps.setString(i++, (String) param);
                }
            }
            ps.setInt(i, q.limit() + 1);
            return readRuns(ps);
        }
    }

    /** The condition of one status, written so each dialect's index for it applies. */
    protected String statusCondition(RunQuery.Status status) {
        return switch (status) {
            case PENDING -> "(status = 'PENDING' AND attempts = 0)";
            case AWAITING_RETRY -> "(status = 'PENDING' AND attempts > 0)";
            case RUNNING -> "status = 'RUNNING'";
            case SUCCEEDED -> "status = 'SUCCEEDED'";
            case FAILED -> "status = 'FAILED'";
        };
    }

    public List<ActionRun> runsAbout(Connection c, String orderId) throws SQLException {
        String columns = "r." + RunRows.RUN_COLUMNS.replace(", ", ", r.");
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + runTable + " r JOIN "
                + triggerTable + " t ON t.trigger_key = r.trigger_key WHERE t.order_id = ?"
                + " ORDER BY r.created_at, r.id")) {
            ps.setString(1, orderId);
            return readRuns(ps);
        }
    }

    public List<AttemptRecord> attemptsOf(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt_history FROM " + runTable + " WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? RunRows.readHistory(rs.getString(1)) : List.of();
            }
        }
    }

    /**
     * One count per status, each a subquery of its own so that every database answers it from the index of that
     * status (PostgreSQL's partial indexes, the others' status index) without reading succeeded runs.
     */
    public RunCounts countRuns(Connection c, Duration staleAfter) throws SQLException {
        String from = " FROM " + runTable + " WHERE ";
        try (PreparedStatement ps = c.prepareStatement("SELECT"
                + " (SELECT COUNT(*)" + from + "status = 'PENDING' AND attempts = 0),"
                + " (SELECT COUNT(*)" + from + "status = 'PENDING' AND attempts > 0),"
                + " (SELECT COUNT(*)" + from + "status = 'RUNNING'),"
                + " (SELECT COUNT(*)" + from + "status = 'RUNNING' AND heartbeat_at < " + nowMinusMillis() + "),"
                + " (SELECT COUNT(*)" + from + "status = 'FAILED')")) {
            ps.setLong(1, staleAfter.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new RunCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
        }
    }

    /**
     * The keyset condition "strictly after the cursor in newest-first order", with three parameters: the cursor's
     * created_at, its created_at again, its id.
     */
    protected String olderThanCursor() {
        return "(created_at < ? OR (created_at = ? AND id < ?))";
    }

    public List<ActionRun> staleRuns(Connection c, Duration olderThan, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.RUN_COLUMNS + " FROM " + runTable
                + " WHERE status = 'RUNNING' AND heartbeat_at < " + nowMinusMillis()
                + " ORDER BY heartbeat_at, id LIMIT ?")) {
            ps.setLong(1, olderThan.toMillis());
            ps.setInt(2, limit);
            return readRuns(ps);
        }
    }

    public List<ActionRun> unclaimableRuns(Connection c, Duration nodeTimeout, int limit) throws SQLException {
        Set<String> live = new TreeSet<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT action_types FROM " + nodeTable + " WHERE seen_at >= " + nowMinusMillis())) {
            ps.setLong(1, nodeTimeout.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (String type : rs.getString(1).split("\n")) {
                        if (!type.isEmpty()) {
                            live.add(type);
                        }
                    }
                }
            }
        }
        String notLive = live.isEmpty() ? "" : " AND action_type NOT IN (" + placeholders(live.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.RUN_COLUMNS + " FROM " + runTable
                + " WHERE status = 'PENDING'" + notLive + " ORDER BY created_at, id LIMIT ?")) {
            bindAll(ps, 1, live);
            ps.setInt(live.size() + 1, limit);
            return readRuns(ps);
        }
    }

    public Optional<Duration> untilNextDue(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT MIN(next_attempt_at), " + now() + " FROM " + runTable + " WHERE status = 'PENDING'");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Instant next = instants.get(rs, 1);
            return next == null ? Optional.empty() : Optional.of(Duration.between(instants.require(rs, 2), next));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** The state as the database keeps it (time columns at their precision). */
    protected RunState normalized(RunState s) {
        return new RunState(
                s.status(),
                s.version(),
                s.attempts(),
                s.totalAttempts(),
                instants.normalizeNullable(s.nextAttemptAt()),
                s.lastError(),
                s.lastStatusCode(),
                s.result(),
                s.skipReason(),
                s.owner(),
                instants.normalizeNullable(s.heartbeatAt()),
                s.rerunCount(),
                s.redeliveries(),
                instants.normalize(s.updatedAt()));
    }

    protected ActionRun normalized(ActionRun run) {
        return run.with(normalized(run.state()));
    }

    // ---- retention ------------------------------------------------------------------------------------------------

    /**
     * Deletes at most {@code limit} triggers created before {@code cutoff} whose runs are all SUCCEEDED or FAILED and
     * unchanged since, with their runs; the runs are locked and checked again first, so a run re-run meanwhile keeps
     * its trigger. Returns the rows deleted (triggers and runs).
     */
    public int deleteFinishedBefore(Connection c, Instant cutoff, int limit) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(selectFinishedTriggers)) {
            instants.set(ps, 1, cutoff);
            instants.set(ps, 2, cutoff);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        if (keys.isEmpty()) {
            return 0;
        }
        // lock the runs and check again: a run re-run since the query above keeps its whole trigger
        Map<String, Boolean> finished = new LinkedHashMap<>();
        keys.forEach(k -> finished.put(k, true));
        try (PreparedStatement ps = c.prepareStatement("SELECT trigger_key, status, updated_at FROM " + runTable
                + " WHERE trigger_key IN (" + placeholders(keys.size()) + ") FOR UPDATE")) {
            bindAll(ps, 1, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    Instant updatedAt = instants.require(rs, 3);
                    boolean done = RunStatus.valueOf(rs.getString(2)).isTerminal() && updatedAt.isBefore(cutoff);
                    finished.merge(key, done, Boolean::logicalAnd);
                }
            }
        }
        List<String> doomed = new ArrayList<>();
        finished.forEach((key, done) -> {
            if (done) {
                doomed.add(key);
            }
        });
        if (doomed.isEmpty()) {
            return 0;
        }
        String in = " WHERE trigger_key IN (" + placeholders(doomed.size()) + ")";
        int deleted;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + runTable + in)) {
            bindAll(ps, 1, doomed);
            deleted = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + triggerTable + in)) {
            bindAll(ps, 1, doomed);
            deleted += ps.executeUpdate();
        }
        return deleted;
    }

    protected static String placeholders(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.toString();
    }

    protected static void bindAll(PreparedStatement ps, int first, Collection<String> values) throws SQLException {
        int i = first;
        for (String value : values) {
            ps.setString(i++, value);
        }
    }

    /** The types as stored in the node table: one per line. */
    public static String joinTypes(Set<String> types) {
        return String.join("\n", new TreeSet<>(types));
    }
}
