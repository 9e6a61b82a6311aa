-- Version 8: the hot-path functions plan their statements once per session, not on every call. PL/pgSQL caches each
-- statement's plan, but PostgreSQL replans it per call ("custom plans") while a plan for the actual parameters looks
-- cheaper than a generic one, and LIMIT p_limit always looks that way: planning was a third of a one-run claim's
-- database CPU and a fifth of an eight-run one's. The plans are the same either way, since the functions pin the
-- planner's choices (no sequential or bitmap scans): the due index in claim order, rows by address, triggers by key.
ALTER FUNCTION ${prefix}claim_due(TEXT, TEXT[], INTEGER) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ${prefix}claim_stale(TEXT, BIGINT, TEXT[], INTEGER) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ${prefix}record_outcomes(TEXT[], TEXT[], TEXT[], BIGINT[], TEXT[], BIGINT[], TEXT[], INTEGER[], TEXT[],
    TEXT[], TEXT[], TEXT) SET plan_cache_mode = force_generic_plan;
