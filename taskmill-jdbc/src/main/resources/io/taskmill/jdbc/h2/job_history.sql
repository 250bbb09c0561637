-- Queries on tm_job_event and tm_job_log for H2: append-only history of each job.

-- name: insertEvent
-- :attempt is the job's attempt as the change left it; the writer knows it, so the insert reads
-- no job row (the foreign key still refuses an event of a job that does not exist).
INSERT INTO tm_job_event (job_id, at, from_state, to_state, node, attempt, error, message)
VALUES (:jobId, :at, :fromState, :toState, :node, :attempt, :error, :message)

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
INSERT INTO tm_job_log (job_id, attempt, at, level, message)
VALUES (:jobId, :attempt, :at, :level, :message)

-- name: jobLogs
SELECT attempt, at, level, message
FROM tm_job_log
WHERE job_id = :jobId
ORDER BY seq
