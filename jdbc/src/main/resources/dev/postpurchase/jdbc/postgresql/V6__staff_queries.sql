-- Version 6: what the staff pages need.
-- * Each run keeps its last attempts (start, duration, outcome, status code, excerpt, node) as a JSON array, written
--   by the outcome batch that records the attempt, so the history costs no row of its own.
-- * A trigger names the order it is about (an event's order), so staff go from an order to everything it caused.
-- * Finished runs are listed newest first through partial indexes per status: an index entry is written only when a
--   run reaches that status, so the hot path pays nearly nothing for them.
ALTER TABLE ${prefix}run ADD COLUMN IF NOT EXISTS attempt_history JSONB NOT NULL DEFAULT '[]';
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS order_id VARCHAR(255);
UPDATE ${prefix}trigger SET order_id = trigger_id WHERE kind = 'ORDER' AND order_id IS NULL;
CREATE INDEX IF NOT EXISTS ${prefix}trigger_order_idx ON ${prefix}trigger (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ${prefix}run_failed_idx ON ${prefix}run (created_at, id) WHERE status = 'FAILED';
CREATE INDEX IF NOT EXISTS ${prefix}run_succeeded_idx ON ${prefix}run (created_at, id) WHERE status = 'SUCCEEDED';
DROP FUNCTION IF EXISTS ${prefix}record_outcomes(TEXT[], TEXT[], TEXT[], BIGINT[], TEXT[], BIGINT[], TEXT[],
    INTEGER[], TEXT[], TEXT[], TEXT);

-- Records a batch of outcomes (version 6: each with the attempt to append to its run's history, the last 20
-- kept): each run changes only if it is still at the claimed version (which only its owner's
-- claim produced), and the triggers whose last unfinished run succeeded here are completed in the same statement,
-- marked with p_batch so that exactly one batch reports each completion. Runs are found by the row address their
-- claim (or last lease renewal) returned, without an index lookup; should a run have moved since, a second pass
-- finds the rest by id, and the version check keeps any run from changing twice.
CREATE OR REPLACE FUNCTION ${prefix}record_outcomes(p_ids TEXT[], p_tids TEXT[], p_owners TEXT[],
    p_versions BIGINT[], p_statuses TEXT[], p_delays BIGINT[], p_errors TEXT[], p_codes INTEGER[], p_results TEXT[],
    p_skips TEXT[], p_attempts TEXT[], p_batch TEXT)
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
                    p_results, p_skips, p_attempts)
                AS v(id, tid, owner_id, version, status, delay_ms, last_error, last_status_code, result_text,
                    skip_reason, attempt)
        ), upd AS (
            UPDATE ${prefix}run r SET status = v.status, version = r.version + 1,
                next_attempt_at = CASE WHEN v.status = 'PENDING'
                    THEN now() + v.delay_ms * interval '1 millisecond' END,
                last_error = v.last_error, last_status_code = v.last_status_code,
                result_text = CASE WHEN v.status = 'SUCCEEDED' OR v.result_text IS NOT NULL THEN v.result_text
                    ELSE r.result_text END,
                skip_reason = v.skip_reason, owner_id = NULL, heartbeat_at = NULL, updated_at = now(),
                attempt_history = CASE WHEN v.attempt IS NULL THEN r.attempt_history
                    WHEN jsonb_array_length(r.attempt_history) >= 20 THEN (r.attempt_history - 0) || v.attempt::jsonb
                    ELSE r.attempt_history || v.attempt::jsonb END
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
