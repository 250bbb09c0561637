-- Queries on tm_job_event and tm_job_log for PostgreSQL: append-only history of each job.

-- name: insertEvent
-- :attempts are the jobs' attempts as the change left them; the writer knows them, so the insert
-- reads no job row. Set-based (unlike H2's per-event batch): one event per element of parallel
-- arrays, inserted in array order so seq follows it; instants come as ISO-8601 UTC text.
INSERT INTO tm_job_event (job_id, at, from_state, to_state, node, attempt, error, message)
SELECT u.job_id, CAST(u.at AS timestamptz), u.from_state, u.to_state, u.node, u.attempt, u.error,
       u.message
FROM unnest(CAST(:jobIds AS uuid[]), CAST(:ats AS varchar[]), CAST(:fromStates AS varchar[]),
            CAST(:toStates AS varchar[]), CAST(:nodes AS varchar[]), CAST(:attempts AS integer[]),
            CAST(:errors AS varchar[]), CAST(:messages AS varchar[]))
    WITH ORDINALITY AS u(job_id, at, from_state, to_state, node, attempt, error, message, ord)
ORDER BY u.ord

-- name: jobEvents
-- A job's creation is recorded on its row, not as an event row (half the writes per enqueue): it
-- comes first, as seq 0, into the state the first transition left (the job's state if none).
SELECT 0 AS seq, j.id AS job_id, j.created_at AS at, CAST(NULL AS VARCHAR) AS from_state,
       COALESCE((SELECT f.from_state FROM tm_job_event f WHERE f.job_id = j.id
                 ORDER BY f.seq LIMIT 1), j.state) AS to_state,
       j.created_by AS node, 0 AS attempt, CAST(NULL AS VARCHAR) AS error,
       CAST(NULL AS VARCHAR) AS message
FROM tm_job j
WHERE j.id = :jobId
UNION ALL
SELECT e.seq, e.job_id, e.at, e.from_state, e.to_state, e.node, e.attempt, e.error, e.message
FROM tm_job_event e
WHERE e.job_id = :jobId AND EXISTS (SELECT 1 FROM tm_job WHERE id = :jobId)
ORDER BY seq

-- name: eventOutcomeRecorded
-- Whether this attempt's outcome is already in the history: a retried write whose first reply was
-- lost finds its own outcome here (tm_job_event_job_idx), not a rival's. Rescues are not outcomes.
-- A manual retry (DEAD or CANCELLED to ENQUEUED) starts attempts from 1 again, so only events after
-- the latest one count: an earlier life's attempt of the same number is another attempt.
SELECT count(*) AS n
FROM tm_job_event
WHERE job_id = :jobId AND attempt = :attempt AND node = :node AND from_state = 'RUNNING'
  AND to_state = :toState AND (message IS NULL OR message NOT LIKE 'rescued%')
  AND seq > COALESCE((SELECT MAX(r.seq) FROM tm_job_event r
                      WHERE r.job_id = :jobId AND r.from_state IN ('DEAD', 'CANCELLED')
                        AND r.to_state = 'ENQUEUED'), 0)
HAVING count(*) > 0

-- name: insertLog
-- Set-based like insertEventFromJob: one line per element of parallel arrays, in array order.
INSERT INTO tm_job_log (job_id, attempt, at, level, message)
SELECT u.job_id, u.attempt, CAST(u.at AS timestamptz), u.level, u.message
FROM unnest(CAST(:jobIds AS uuid[]), CAST(:attempts AS integer[]), CAST(:ats AS varchar[]),
            CAST(:levels AS varchar[]), CAST(:messages AS varchar[]))
    WITH ORDINALITY AS u(job_id, attempt, at, level, message, ord)
ORDER BY u.ord

-- name: jobLogs
SELECT attempt, at, level, message
FROM tm_job_log
WHERE job_id = :jobId
ORDER BY seq
