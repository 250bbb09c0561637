-- Queries for cluster-wide limits per job type on H2: tm_rate_window and the counts a claim of a
-- limited type needs. They run inside the claim's transaction, after its first page of
-- candidates showed a limited type, and only then, so claims of unlimited types pay nothing.

-- name: lockTypes
-- Nothing to lock: H2 claims are serialized in the store (JdbcStore.claimLock), and an embedded
-- database is opened by one process, so no other claim can count the same room meanwhile.
SELECT 0 AS locked

-- name: limitUsage
-- Per type: its RUNNING jobs (only where :maxRunning is set) and its starts recorded in the window
-- starting at :windowStarts (null: no rate limit). Instants come as ISO-8601 UTC text.
SELECT u.type,
       CASE WHEN u.max_running IS NULL THEN 0 ELSE (
           SELECT COUNT(*) FROM tm_job AS j WHERE j.state = 'RUNNING' AND j.type = u.type)
       END AS running,
       COALESCE((
           SELECT w.started FROM tm_rate_window AS w
           WHERE w.type = u.type
             AND w.window_start = CAST(u.window_start AS TIMESTAMP(6) WITH TIME ZONE)), 0)
           AS started
FROM UNNEST(CAST(:types AS VARCHAR ARRAY), CAST(:maxRunning AS INTEGER ARRAY),
            CAST(:windowStarts AS VARCHAR ARRAY)) AS u(type, max_running, window_start)

-- name: limitAddStarts
MERGE INTO tm_rate_window AS w
USING (VALUES (CAST(:type AS VARCHAR(200)), CAST(:windowStart AS TIMESTAMP(6) WITH TIME ZONE),
               CAST(:started AS INT))) AS s(type, window_start, started)
ON w.type = s.type AND w.window_start = s.window_start
WHEN MATCHED THEN UPDATE SET started = w.started + s.started
WHEN NOT MATCHED THEN INSERT (type, window_start, started)
    VALUES (s.type, s.window_start, s.started)

-- name: limitPruneWindow
-- Run when a type's new window gets its first starts; :before is the previous window's start,
-- kept for a node whose clock lags a little. Older windows count for nothing now.
DELETE FROM tm_rate_window
WHERE type = :type AND window_start < :before
