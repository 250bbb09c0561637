-- Queries on tm_job_event and tm_job_log for PostgreSQL: append-only history of each job.

-- name: jobCreation
-- A job's creation is recorded on its row, not as an event row: half the writes per enqueue.
SELECT id, created_at, created_by, state
FROM tm_job
WHERE id = :jobId

-- name: insertEventFromJob
-- Takes the attempt from the row as it is after the change, in the same transaction. The casts
-- type the parameters: in a SELECT list nothing else does, and a null would arrive untyped.
INSERT INTO tm_job_event (job_id, at, from_state, to_state, node, attempt, error, message)
SELECT id, CAST(:at AS timestamptz), CAST(:fromState AS varchar), CAST(:toState AS varchar),
       CAST(:node AS varchar), attempt, CAST(:error AS varchar), CAST(:message AS varchar)
FROM tm_job
WHERE id = :jobId

-- name: listEvents
SELECT seq, job_id, at, from_state, to_state, node, attempt, error, message
FROM tm_job_event
WHERE job_id = :jobId
ORDER BY seq

-- name: insertLog
INSERT INTO tm_job_log (job_id, attempt, at, level, message)
VALUES (:jobId, :attempt, :at, :level, :message)

-- name: listLogs
SELECT attempt, at, level, message
FROM tm_job_log
WHERE job_id = :jobId
ORDER BY seq
