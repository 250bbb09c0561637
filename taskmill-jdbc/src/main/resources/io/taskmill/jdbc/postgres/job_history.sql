-- Queries on tm_job_event and tm_job_log for PostgreSQL: append-only history of each job.

-- name: jobCreation
-- A job's creation is recorded on its row, not as an event row: half the writes per enqueue.
SELECT id, created_at, created_by, state
FROM tm_job
WHERE id = :jobId

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

-- name: listEvents
SELECT seq, job_id, at, from_state, to_state, node, attempt, error, message
FROM tm_job_event
WHERE job_id = :jobId
ORDER BY seq

-- name: outcomeRecorded
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

-- name: insertLog
-- Set-based like insertEventFromJob: one line per element of parallel arrays, in array order.
INSERT INTO tm_job_log (job_id, attempt, at, level, message)
SELECT u.job_id, u.attempt, CAST(u.at AS timestamptz), u.level, u.message
FROM unnest(CAST(:jobIds AS uuid[]), CAST(:attempts AS integer[]), CAST(:ats AS varchar[]),
            CAST(:levels AS varchar[]), CAST(:messages AS varchar[]))
    WITH ORDINALITY AS u(job_id, attempt, at, level, message, ord)
ORDER BY u.ord

-- name: listLogs
SELECT attempt, at, level, message
FROM tm_job_log
WHERE job_id = :jobId
ORDER BY seq
