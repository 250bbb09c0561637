-- Queries for cluster-wide limits per job type on PostgreSQL: tm_rate_window and the counts a
-- claim of a limited type needs. They run inside the claim's transaction, after its first page of
-- candidates showed a limited type, and only then, so claims of unlimited types pay nothing.

-- name: lockTypes
-- Serializes the claims of these types across every node until the transaction ends, so two
-- claims never both count the same room. Keys are taken in sorted order (the aggregate reads the
-- ordered subquery row by row), so claims wanting several types cannot deadlock. A key hashes the
-- schema with the type, so stores in other schemas of the database do not wait on each other; a
-- collision only serializes more. The two-int form with class 0x746d6c74 ('tmlt') keeps these
-- keys apart from single-bigint advisory locks.
SELECT COUNT(pg_advisory_xact_lock(1953328244, k)) AS locked
FROM (
    SELECT DISTINCT hashtext(current_schema() || '.' || t) AS k
    FROM unnest(CAST(:types AS varchar[])) AS u(t)
    ORDER BY k
) AS keys

-- name: limitUsage
-- Per type: its RUNNING jobs on every node (tm_job_running_type_idx; only where :maxRunning is
-- set) and its starts recorded in the window starting at :windowStarts (null: no rate limit).
-- Its own statement after lockTypes, so under READ COMMITTED it sees every claim that committed
-- before this one got the lock. Instants come as ISO-8601 UTC text.
SELECT u.type,
       CASE WHEN u.max_running IS NULL THEN 0 ELSE (
           SELECT COUNT(*) FROM tm_job AS j WHERE j.state = 'RUNNING' AND j.type = u.type)
       END AS running,
       COALESCE((
           SELECT w.started FROM tm_rate_window AS w
           WHERE w.type = u.type AND w.window_start = CAST(u.window_start AS timestamptz)), 0)
           AS started
FROM unnest(CAST(:types AS varchar[]), CAST(:maxRunning AS integer[]),
            CAST(:windowStarts AS varchar[])) AS u(type, max_running, window_start)

-- name: limitAddStarts
INSERT INTO tm_rate_window (type, window_start, started)
VALUES (:type, :windowStart, :started)
ON CONFLICT (type, window_start) DO UPDATE SET started = tm_rate_window.started + EXCLUDED.started

-- name: limitPruneWindow
-- Run when a type's new window gets its first starts; :before is the previous window's start,
-- kept for a node whose clock lags a little. Older windows count for nothing now.
DELETE FROM tm_rate_window
WHERE type = :type AND window_start < :before
