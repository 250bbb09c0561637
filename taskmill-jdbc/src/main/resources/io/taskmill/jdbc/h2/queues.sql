-- Queries on tm_queue for H2.

-- name: queueSetPaused
MERGE INTO tm_queue (name, paused)
KEY (name)
VALUES (:name, :paused)

-- name: queuePausedNames
SELECT name
FROM tm_queue
WHERE paused = TRUE
ORDER BY name

-- name: depthByState
-- Queue depth for the API and metrics: one pass over tm_job (as countJobs), with the due time of
-- the oldest ready job, which is how long the queue's head has waited (its lag).
SELECT queue, state, COUNT(*) AS job_count,
       MIN(CASE WHEN state = 'ENQUEUED' THEN run_at END) AS oldest_ready
FROM tm_job
GROUP BY queue, state
ORDER BY queue, state

-- name: finishedSince
-- Throughput over a recent window: jobs that reached a final state at or after :since.
SELECT queue, COUNT(*) AS job_count
FROM tm_job
WHERE finished_at >= :since
GROUP BY queue
