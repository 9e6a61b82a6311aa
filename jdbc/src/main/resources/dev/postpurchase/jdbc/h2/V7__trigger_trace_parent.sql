-- Version 7: the W3C traceparent of the thread that submitted the order or event (when the application traces), so
-- each attempt's span links to the trace of the request that caused it. NULL when nothing was traced.
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS trace_parent VARCHAR(55);
