package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunSnapshot;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.SecretCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps runs and triggers to rows and back. A run row is its snapshot ({@link #SNAPSHOT_COLUMNS}, written at creation
 * and by "use latest template") followed by its state ({@link #STATE_COLUMNS}, written by every transition). The
 * config snapshot, which may hold webhook secrets, API keys or Kajabi offer URLs, is stored sealed by the store's
 * {@link SecretCodec}.
 */
public final class RunRows {
    /** The snapshot columns, in the order {@link #read} and {@link #bindInsert} use. */
    public static final String SNAPSHOT_COLUMNS = "id, trigger_key, trigger_kind, trigger_id, definition_id,"
            + " action_type, action_name, action_level, target_id, config_json, retry_policy_json, created_at";

    /** The state columns, in the order {@link #readState} and {@link #bindState} use. */
    public static final String STATE_COLUMNS = "status, version, attempts, total_attempts, next_attempt_at,"
            + " last_error, last_status_code, result_text, skip_reason, owner_id, heartbeat_at, rerun_count,"
            + " redeliveries, updated_at";

    /** Every column of the run table: the snapshot, then the state. */
    public static final String RUN_COLUMNS = SNAPSHOT_COLUMNS + ", " + STATE_COLUMNS;

    /** How many snapshot columns come before the state in {@link #RUN_COLUMNS}. */
    public static final int SNAPSHOT_WIDTH = 12;

    /** How many state columns there are. */
    public static final int STATE_WIDTH = 14;

    /** {@code status = ?, version = ?, ...}: every state column, for {@link #bindState}. */
    public static final String STATE_ASSIGNMENTS = "status = ?, version = ?, attempts = ?, total_attempts = ?,"
            + " next_attempt_at = ?, last_error = ?, last_status_code = ?, result_text = ?, skip_reason = ?,"
            + " owner_id = ?, heartbeat_at = ?, rerun_count = ?, redeliveries = ?, updated_at = ?";

    /** The template columns a "use latest template" re-run replaces, for {@link #bindTemplate}. */
    public static final String TEMPLATE_ASSIGNMENTS =
            "action_name = ?, action_level = ?, target_id = ?, config_json = ?, retry_policy_json = ?";

    public static final String TRIGGER_COLUMNS =
            "trigger_key, kind, trigger_id, payload_json, created_at, completed_at, order_id, trace_parent";

    private static final int POLICY_CACHE = 256;

    private final Instants instants;
    private final SecretCodec codec;
    private final Map<String, RetryPolicy> policies = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RetryPolicy> eldest) {
            return size() > POLICY_CACHE;
        }
    };

    /** Rows whose config snapshots are sealed by {@code codec}, bound to their run ({@code run:<id>}). */
    public RunRows(Instants instants, SecretCodec codec) {
        this.instants = instants;
        this.codec = codec;
    }

    /** The stored form of a run's config snapshot. */
    public String sealConfig(String runId, String configJson) {
        return codec.encrypt(configJson, context(runId));
    }

    /**
     * A run's config snapshot from its stored form. A bare JSON object is a snapshot written before snapshots were
     * sealed (schema version 4 and older); {@code JdbcActionStateStore#reEncrypt} seals those.
     */
    public String openConfig(String runId, String stored) {
        return stored.startsWith("{") ? stored : codec.decrypt(stored, context(runId));
    }

    /** Whether a stored snapshot should be rewritten under the codec's current key. */
    public boolean needsSealing(String stored) {
        return stored.startsWith("{") || codec.needsReEncryption(stored);
    }

    private static String context(String runId) {
        return "run:" + runId;
    }

    /** A run from a row of {@link #RUN_COLUMNS} starting at column 1. */
    public ActionRun read(ResultSet rs) throws SQLException {
        return new ActionRun(readSnapshot(rs), readState(rs, SNAPSHOT_WIDTH + 1));
    }

    private RunSnapshot readSnapshot(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        return new RunSnapshot(
                id,
                TriggerKind.valueOf(rs.getString(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                ActionLevel.valueOf(rs.getString(8)),
                rs.getString(9),
                openConfig(id, rs.getString(10)),
                readPolicy(rs.getString(11)),
                instants.require(rs, 12));
    }

    /** A state from {@link #STATE_COLUMNS} starting at column {@code first}. */
    public RunState readState(ResultSet rs, int first) throws SQLException {
        int statusCode = rs.getInt(first + 6);
        Integer lastStatusCode = rs.wasNull() ? null : statusCode;
        return new RunState(
                RunStatus.valueOf(rs.getString(first)),
                rs.getLong(first + 1),
                rs.getInt(first + 2),
                rs.getInt(first + 3),
                instants.get(rs, first + 4),
                rs.getString(first + 5),
                lastStatusCode,
                rs.getString(first + 7),
                rs.getString(first + 8),
                rs.getString(first + 9),
                instants.get(rs, first + 10),
                rs.getInt(first + 11),
                rs.getInt(first + 12),
                instants.require(rs, first + 13));
    }

    /**
     * Binds a new run, all columns, stamped with the database's time: created, updated and (when PENDING) due at
     * {@code stamp}.
     */
    public void bindInsert(PreparedStatement ps, ActionRun run, Instant stamp) throws SQLException {
        RunSnapshot s = run.snapshot();
        ps.setString(1, s.id());
        ps.setString(2, s.triggerKey());
        ps.setString(3, s.triggerKind().name());
        ps.setString(4, s.triggerId());
        ps.setString(5, s.definitionId());
        ps.setString(6, s.type());
        ps.setString(7, s.name());
        ps.setString(8, s.level().name());
        ps.setString(9, s.targetId());
        ps.setString(10, sealConfig(s.id(), s.configJson()));
        ps.setString(11, writePolicy(s.retryPolicy()));
        instants.set(ps, 12, stamp);
        bindState(ps, SNAPSHOT_WIDTH + 1, stamped(run.state(), stamp));
    }

    /** The state as a new run of it is stored: stamped with the database's time. */
    public static RunState stamped(RunState state, Instant stamp) {
        return new RunState(
                state.status(),
                state.version(),
                state.attempts(),
                state.totalAttempts(),
                state.status() == RunStatus.PENDING ? stamp : state.nextAttemptAt(),
                state.lastError(),
                state.lastStatusCode(),
                state.result(),
                state.skipReason(),
                state.owner(),
                state.heartbeatAt(),
                state.rerunCount(),
                state.redeliveries(),
                stamp);
    }

    /** A snapshot as stored by {@link #bindInsert}: created at {@code stamp}. */
    public static RunSnapshot stamped(RunSnapshot s, Instant stamp) {
        return new RunSnapshot(
                s.id(),
                s.triggerKind(),
                s.triggerId(),
                s.definitionId(),
                s.type(),
                s.name(),
                s.level(),
                s.targetId(),
                s.configJson(),
                s.retryPolicy(),
                stamp);
    }

    /** Binds the {@link #STATE_WIDTH} state values from column {@code first} (for an insert or assignments). */
    public void bindState(PreparedStatement ps, int first, RunState state) throws SQLException {
        ps.setString(first, state.status().name());
        ps.setLong(first + 1, state.version());
        ps.setInt(first + 2, state.attempts());
        ps.setInt(first + 3, state.totalAttempts());
        instants.set(ps, first + 4, state.nextAttemptAt());
        ps.setString(first + 5, state.lastError());
        setInteger(ps, first + 6, state.lastStatusCode());
        ps.setString(first + 7, state.result());
        ps.setString(first + 8, state.skipReason());
        ps.setString(first + 9, state.owner());
        instants.set(ps, first + 10, state.heartbeatAt());
        ps.setInt(first + 11, state.rerunCount());
        ps.setInt(first + 12, state.redeliveries());
        instants.set(ps, first + 13, state.updatedAt());
    }

    /** Binds {@link #TEMPLATE_ASSIGNMENTS} from column {@code first}. */
    public void bindTemplate(PreparedStatement ps, int first, RunSnapshot s) throws SQLException {
        ps.setString(first, s.name());
        ps.setString(first + 1, s.level().name());
        ps.setString(first + 2, s.targetId());
        ps.setString(first + 3, sealConfig(s.id(), s.configJson()));
        ps.setString(first + 4, writePolicy(s.retryPolicy()));
    }

    public Trigger readTrigger(ResultSet rs) throws SQLException {
        return new Trigger(
                TriggerKind.valueOf(rs.getString(2)),
                rs.getString(3),
                rs.getString(4),
                instants.require(rs, 5),
                instants.get(rs, 6),
                rs.getString(7),
                rs.getString(8));
    }

    /** The history column's JSON with {@code attempt} appended, keeping the last {@link AttemptRecord#KEPT}. */
    public static String appendAttempt(@Nullable String historyJson, AttemptRecord attempt) {
        List<AttemptRecord> history = new ArrayList<>(readHistory(historyJson));
        history.add(attempt);
        while (history.size() > AttemptRecord.KEPT) {
            history.remove(0);
        }
        return PostpurchaseJson.write(history);
    }

    /** The attempts a history column holds, oldest first. */
    public static List<AttemptRecord> readHistory(@Nullable String historyJson) {
        if (historyJson == null || historyJson.isBlank()) {
            return List.of();
        }
        return List.of(PostpurchaseJson.read(historyJson, AttemptRecord[].class, "attempt_history"));
    }

    private static void setInteger(PreparedStatement ps, int index, @Nullable Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    static String writePolicy(RetryPolicy policy) {
        return PostpurchaseJson.write(policy);
    }

    /** Reads a policy, keeping recent ones parsed: runs share a handful of policies. */
    RetryPolicy readPolicy(String json) {
        synchronized (policies) {
            RetryPolicy cached = policies.get(json);
            if (cached != null) {
                return cached;
            }
        }
        RetryPolicy policy = PostpurchaseJson.read(json, RetryPolicy.class, "retryPolicy");
        synchronized (policies) {
            policies.put(json, policy);
        }
        return policy;
    }
}
