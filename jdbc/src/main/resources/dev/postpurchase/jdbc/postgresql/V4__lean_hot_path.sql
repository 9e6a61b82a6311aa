-- Version 4: the lean hot path.
-- * A trigger counts its runs that have not succeeded; the batch that records the last success decrements it to 0
--   and marks the trigger completed in the same statement (completion_id names that batch, so exactly one batch
--   reports it). Existing triggers get their count from their runs; a trigger whose runs all succeeded but that was
--   never marked completed (a completion cut short under the old code) is completed now, silently.
-- * A run counts the re-runs staff chose to deliver again; each gives the run a new idempotency key.
-- * Nodes record that they are alive and which action types they execute, so runs no live node can take are seen.
-- * The completion sweep is gone, and with it the index it used (its predicate column kept completions from being
--   HOT updates).
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS unfinished_runs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS completion_id VARCHAR(64);
UPDATE ${prefix}trigger t SET unfinished_runs = (SELECT COUNT(*) FROM ${prefix}run r
    WHERE r.trigger_key = t.trigger_key AND r.status <> 'SUCCEEDED');
UPDATE ${prefix}trigger SET completed_at = now() WHERE completed_at IS NULL AND unfinished_runs = 0;
DROP INDEX IF EXISTS ${prefix}trigger_open_idx;
ALTER TABLE ${prefix}run ADD COLUMN IF NOT EXISTS redeliveries INTEGER NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS ${prefix}node (
    node_id       VARCHAR(200) NOT NULL,
    action_types  TEXT         NOT NULL,
    seen_at       TIMESTAMPTZ  NOT NULL,
    CONSTRAINT ${prefix}node_pk PRIMARY KEY (node_id)
);

-- The hot path's statements, as functions whose planner settings are pinned: a claim is always an ordered walk of
-- the due index that stops after p_limit rows, and outcomes always find their runs and triggers by primary key,
-- whatever the statistics say. (A queue table's statistics are often stale: a burst of due runs in a table analysed
-- when it was nearly empty would otherwise get a plan that reads every due run for every claim.)
CREATE OR REPLACE FUNCTION ${prefix}claim_due(p_owner TEXT, p_types TEXT[], p_limit INTEGER)
RETURNS TABLE (id VARCHAR, trigger_key VARCHAR, trigger_kind VARCHAR, trigger_id VARCHAR, definition_id VARCHAR,
    action_type VARCHAR, action_name TEXT, action_level VARCHAR, target_id VARCHAR, config_json TEXT,
    retry_policy_json TEXT, created_at TIMESTAMPTZ, status VARCHAR, version BIGINT, attempts INTEGER,
    total_attempts INTEGER, next_attempt_at TIMESTAMPTZ, last_error TEXT, last_status_code INTEGER, result_text TEXT,
    skip_reason TEXT, owner_id VARCHAR, heartbeat_at TIMESTAMPTZ, rerun_count INTEGER, redeliveries INTEGER,
    updated_at TIMESTAMPTZ, row_tid TEXT)
LANGUAGE plpgsql
SET enable_seqscan = off SET enable_bitmapscan = off SET enable_sort = off
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY UPDATE ${prefix}run r SET status = 'RUNNING', version = r.version + 1, attempts = r.attempts + 1,
            total_attempts = r.total_attempts + 1, next_attempt_at = NULL, owner_id = p_owner, heartbeat_at = now(),
            updated_at = now()
        WHERE r.ctid = ANY(ARRAY(SELECT q.ctid FROM ${prefix}run q
            WHERE q.status = 'PENDING' AND q.next_attempt_at <= now() AND q.action_type = ANY(p_types)
            ORDER BY q.next_attempt_at, q.id LIMIT p_limit FOR UPDATE SKIP LOCKED))
        RETURNING r.id, r.trigger_key, r.trigger_kind, r.trigger_id, r.definition_id, r.action_type, r.action_name,
            r.action_level, r.target_id, r.config_json, r.retry_policy_json, r.created_at, r.status, r.version,
            r.attempts, r.total_attempts, r.next_attempt_at, r.last_error, r.last_status_code, r.result_text,
            r.skip_reason, r.owner_id, r.heartbeat_at, r.rerun_count, r.redeliveries, r.updated_at, r.ctid::text;
END
$$;

CREATE OR REPLACE FUNCTION ${prefix}claim_stale(p_owner TEXT, p_lease_ms BIGINT, p_types TEXT[], p_limit INTEGER)
RETURNS TABLE (id VARCHAR, trigger_key VARCHAR, trigger_kind VARCHAR, trigger_id VARCHAR, definition_id VARCHAR,
    action_type VARCHAR, action_name TEXT, action_level VARCHAR, target_id VARCHAR, config_json TEXT,
    retry_policy_json TEXT, created_at TIMESTAMPTZ, status VARCHAR, version BIGINT, attempts INTEGER,
    total_attempts INTEGER, next_attempt_at TIMESTAMPTZ, last_error TEXT, last_status_code INTEGER, result_text TEXT,
    skip_reason TEXT, owner_id VARCHAR, heartbeat_at TIMESTAMPTZ, rerun_count INTEGER, redeliveries INTEGER,
    updated_at TIMESTAMPTZ, row_tid TEXT)
LANGUAGE plpgsql
SET enable_seqscan = off SET enable_bitmapscan = off SET enable_sort = off
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY UPDATE ${prefix}run r SET status = 'RUNNING', version = r.version + 1, attempts = r.attempts + 1,
            total_attempts = r.total_attempts + 1, next_attempt_at = NULL, owner_id = p_owner, heartbeat_at = now(),
            updated_at = now()
        WHERE r.ctid = ANY(ARRAY(SELECT q.ctid FROM ${prefix}run q
            WHERE q.status = 'RUNNING' AND q.heartbeat_at < now() - p_lease_ms * interval '1 millisecond'
                AND q.action_type = ANY(p_types)
            ORDER BY q.heartbeat_at, q.id LIMIT p_limit FOR UPDATE SKIP LOCKED))
        RETURNING r.id, r.trigger_key, r.trigger_kind, r.trigger_id, r.definition_id, r.action_type, r.action_name,
            r.action_level, r.target_id, r.config_json, r.retry_policy_json, r.created_at, r.status, r.version,
            r.attempts, r.total_attempts, r.next_attempt_at, r.last_error, r.last_status_code, r.result_text,
            r.skip_reason, r.owner_id, r.heartbeat_at, r.rerun_count, r.redeliveries, r.updated_at, r.ctid::text;
END
$$;

-- Records a batch of outcomes: each run changes only if it is still at the claimed version (which only its owner's
-- claim produced), and the triggers whose last unfinished run succeeded here are completed in the same statement,
-- marked with p_batch so that exactly one batch reports each completion. Runs are found by the row address their
-- claim (or last lease renewal) returned, without an index lookup; should a run have moved since, a second pass
-- finds the rest by id, and the version check keeps any run from changing twice.
CREATE OR REPLACE FUNCTION ${prefix}record_outcomes(p_ids TEXT[], p_tids TEXT[], p_owners TEXT[],
    p_versions BIGINT[], p_statuses TEXT[], p_delays BIGINT[], p_errors TEXT[], p_codes INTEGER[], p_results TEXT[],
    p_skips TEXT[], p_batch TEXT)
RETURNS TABLE (id VARCHAR, trigger_key VARCHAR, status VARCHAR, version BIGINT, attempts INTEGER,
    total_attempts INTEGER, next_attempt_at TIMESTAMPTZ, last_error TEXT, last_status_code INTEGER, result_text TEXT,
    skip_reason TEXT, owner_id VARCHAR, heartbeat_at TIMESTAMPTZ, rerun_count INTEGER, redeliveries INTEGER,
    updated_at TIMESTAMPTZ, kind VARCHAR, trigger_id VARCHAR, completed_at TIMESTAMPTZ, completed_here BOOLEAN)
LANGUAGE plpgsql
SET enable_seqscan = off SET enable_bitmapscan = off
AS $$
#variable_conflict use_column
DECLARE
    tids TEXT[] := p_tids;
    applied BIGINT;
    total BIGINT := 0;
BEGIN
    FOR pass IN 1..2 LOOP
        RETURN QUERY WITH v AS (
            SELECT * FROM unnest(p_ids, tids, p_owners, p_versions, p_statuses, p_delays, p_errors, p_codes,
                    p_results, p_skips)
                AS v(id, tid, owner_id, version, status, delay_ms, last_error, last_status_code, result_text,
                    skip_reason)
        ), upd AS (
            UPDATE ${prefix}run r SET status = v.status, version = r.version + 1,
                next_attempt_at = CASE WHEN v.status = 'PENDING'
                    THEN now() + v.delay_ms * interval '1 millisecond' END,
                last_error = v.last_error, last_status_code = v.last_status_code,
                result_text = CASE WHEN v.status = 'SUCCEEDED' OR v.result_text IS NOT NULL THEN v.result_text
                    ELSE r.result_text END,
                skip_reason = v.skip_reason, owner_id = NULL, heartbeat_at = NULL, updated_at = now()
            FROM v
            WHERE r.ctid = ANY(array_remove(tids, NULL)::tid[]) AND r.ctid = v.tid::tid AND r.id = v.id
                AND r.version = v.version AND r.owner_id = v.owner_id
            RETURNING r.id, r.trigger_key, r.status, r.version, r.attempts, r.total_attempts, r.next_attempt_at,
                r.last_error, r.last_status_code, r.result_text, r.skip_reason, r.owner_id, r.heartbeat_at,
                r.rerun_count, r.redeliveries, r.updated_at
        ), done AS (
            SELECT u.trigger_key, count(*) AS n FROM upd u WHERE u.status = 'SUCCEEDED' GROUP BY u.trigger_key
                ORDER BY u.trigger_key
        ), trg AS (
            UPDATE ${prefix}trigger t SET unfinished_runs = GREATEST(t.unfinished_runs - done.n, 0),
                completed_at = CASE WHEN t.completed_at IS NULL AND t.unfinished_runs - done.n <= 0 THEN now()
                    ELSE t.completed_at END,
                completion_id = CASE WHEN t.completed_at IS NULL AND t.unfinished_runs - done.n <= 0 THEN p_batch
                    ELSE t.completion_id END
            FROM done WHERE t.trigger_key = done.trigger_key
            RETURNING t.trigger_key, t.kind, t.trigger_id, t.completed_at, t.completion_id
        )
        SELECT upd.id, upd.trigger_key, upd.status, upd.version, upd.attempts, upd.total_attempts,
            upd.next_attempt_at, upd.last_error, upd.last_status_code, upd.result_text, upd.skip_reason,
            upd.owner_id, upd.heartbeat_at, upd.rerun_count, upd.redeliveries, upd.updated_at, trg.kind,
            trg.trigger_id, trg.completed_at,
            trg.completion_id IS NOT DISTINCT FROM p_batch AND trg.trigger_key IS NOT NULL
        FROM upd LEFT JOIN trg ON trg.trigger_key = upd.trigger_key;
        GET DIAGNOSTICS applied = ROW_COUNT;
        total := total + applied;
        EXIT WHEN total >= cardinality(p_ids) OR pass = 2;
        -- some runs moved (a lease renewal rewrote the row) or came without an address: look them up by id
        tids := ARRAY(SELECT (SELECT r.ctid::text FROM ${prefix}run r WHERE r.id = u.x)
            FROM unnest(p_ids) WITH ORDINALITY AS u(x, n) ORDER BY u.n);
    END LOOP;
END
$$;
