package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.jspecify.annotations.Nullable;

/** Maps runs and triggers to rows and back, in the column order of {@link #RUN_COLUMNS}. */
public final class RunRows {
    /** Every column of the run table, in the order {@link #read} and {@link #bindInsert} use. */
    public static final String RUN_COLUMNS = "id, trigger_key, trigger_kind, trigger_id, definition_id, action_type,"
            + " action_name, action_level, config_json, retry_policy_json, status, attempts, total_attempts,"
            + " next_attempt_at, last_error, last_status_code, result_text, skip_reason, owner_id, heartbeat_at,"
            + " rerun_count, created_at, updated_at, version, target_id";

    /** The columns set by a full replacement ({@link #bindUpdate}), before the WHERE parameters. */
    public static final String UPDATE_ASSIGNMENTS = "definition_id = ?, action_type = ?, action_name = ?,"
            + " action_level = ?, config_json = ?, retry_policy_json = ?, status = ?, attempts = ?,"
            + " total_attempts = ?, next_attempt_at = ?, last_error = ?, last_status_code = ?, result_text = ?,"
            + " skip_reason = ?, owner_id = ?, heartbeat_at = ?, rerun_count = ?, created_at = ?, updated_at = ?,"
            + " version = ?, target_id = ?";

    /** The columns a claim changes ({@link #bindClaim}), before the WHERE parameters. */
    public static final String CLAIM_ASSIGNMENTS = "status = ?, attempts = ?, total_attempts = ?,"
            + " next_attempt_at = ?, owner_id = ?, heartbeat_at = ?, updated_at = ?, version = ?";

    public static final String TRIGGER_COLUMNS =
            "trigger_key, kind, trigger_id, payload_json, created_at, completed_at";

    private final Instants instants;

    public RunRows(Instants instants) {
        this.instants = instants;
    }

    public ActionRun read(ResultSet rs) throws SQLException {
        int lastStatusCode = rs.getInt(16);
        Integer statusCode = rs.wasNull() ? null : lastStatusCode;
        return new ActionRun(
                rs.getString(1),
                TriggerKind.valueOf(rs.getString(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                ActionLevel.valueOf(rs.getString(8)),
                rs.getString(25),
                rs.getString(9),
                readPolicy(rs.getString(10)),
                RunStatus.valueOf(rs.getString(11)),
                rs.getInt(12),
                rs.getInt(13),
                instants.get(rs, 14),
                rs.getString(15),
                statusCode,
                rs.getString(17),
                rs.getString(18),
                rs.getString(19),
                instants.get(rs, 20),
                rs.getInt(21),
                instants.require(rs, 22),
                instants.require(rs, 23),
                rs.getLong(24));
    }

    public void bindInsert(PreparedStatement ps, ActionRun run) throws SQLException {
        ps.setString(1, run.id());
        ps.setString(2, run.triggerKey());
        ps.setString(3, run.triggerKind().name());
        ps.setString(4, run.triggerId());
        ps.setString(5, run.definitionId());
        ps.setString(6, run.type());
        ps.setString(7, run.name());
        ps.setString(8, run.level().name());
        ps.setString(9, run.configJson());
        ps.setString(10, writePolicy(run.retryPolicy()));
        ps.setString(11, run.status().name());
        ps.setInt(12, run.attempts());
        ps.setInt(13, run.totalAttempts());
        instants.set(ps, 14, run.nextAttemptAt());
        ps.setString(15, run.lastError());
        setInteger(ps, 16, run.lastStatusCode());
        ps.setString(17, run.result());
        ps.setString(18, run.skipReason());
        ps.setString(19, run.owner());
        instants.set(ps, 20, run.heartbeatAt());
        ps.setInt(21, run.rerunCount());
        instants.set(ps, 22, run.createdAt());
        instants.set(ps, 23, run.updatedAt());
        ps.setLong(24, run.version());
        ps.setString(25, run.targetId());
    }

    /** Binds {@link #UPDATE_ASSIGNMENTS} and then {@code WHERE id = ? AND status = ? AND version = ?}. */
    public void bindUpdate(PreparedStatement ps, ActionRun expected, ActionRun replacement) throws SQLException {
        ps.setString(1, replacement.definitionId());
        ps.setString(2, replacement.type());
        ps.setString(3, replacement.name());
        ps.setString(4, replacement.level().name());
        ps.setString(5, replacement.configJson());
        ps.setString(6, writePolicy(replacement.retryPolicy()));
        ps.setString(7, replacement.status().name());
        ps.setInt(8, replacement.attempts());
        ps.setInt(9, replacement.totalAttempts());
        instants.set(ps, 10, replacement.nextAttemptAt());
        ps.setString(11, replacement.lastError());
        setInteger(ps, 12, replacement.lastStatusCode());
        ps.setString(13, replacement.result());
        ps.setString(14, replacement.skipReason());
        ps.setString(15, replacement.owner());
        instants.set(ps, 16, replacement.heartbeatAt());
        ps.setInt(17, replacement.rerunCount());
        instants.set(ps, 18, replacement.createdAt());
        instants.set(ps, 19, replacement.updatedAt());
        ps.setLong(20, replacement.version());
        ps.setString(21, replacement.targetId());
        bindExpected(ps, 22, expected);
    }

    /** Binds {@link #CLAIM_ASSIGNMENTS} and then {@code WHERE id = ? AND status = ? AND version = ?}. */
    public void bindClaim(PreparedStatement ps, ActionRun expected, ActionRun claimed) throws SQLException {
        ps.setString(1, claimed.status().name());
        ps.setInt(2, claimed.attempts());
        ps.setInt(3, claimed.totalAttempts());
        instants.set(ps, 4, claimed.nextAttemptAt());
        ps.setString(5, claimed.owner());
        instants.set(ps, 6, claimed.heartbeatAt());
        instants.set(ps, 7, claimed.updatedAt());
        ps.setLong(8, claimed.version());
        bindExpected(ps, 9, expected);
    }

    public Trigger readTrigger(ResultSet rs) throws SQLException {
        return new Trigger(
                TriggerKind.valueOf(rs.getString(2)),
                rs.getString(3),
                rs.getString(4),
                instants.require(rs, 5),
                instants.get(rs, 6));
    }

    public void bindTrigger(PreparedStatement ps, Trigger trigger) throws SQLException {
        ps.setString(1, trigger.key());
        ps.setString(2, trigger.kind().name());
        ps.setString(3, trigger.id());
        ps.setString(4, trigger.payloadJson());
        instants.set(ps, 5, trigger.createdAt());
        instants.set(ps, 6, trigger.completedAt());
    }

    private static void bindExpected(PreparedStatement ps, int index, ActionRun expected) throws SQLException {
        ps.setString(index, expected.id());
        ps.setString(index + 1, expected.status().name());
        ps.setLong(index + 2, expected.version());
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

    static RetryPolicy readPolicy(String json) {
        return PostpurchaseJson.read(json, RetryPolicy.class, "retryPolicy");
    }
}
