-- Queries on tm_lock for H2.

-- name: takeLock
-- Takes a lock nobody holds (new, released, or expired before :now) with the next fencing token.
-- Two callers inserting a new name at once meet at the primary key: the loser gets a unique
-- violation, and JdbcLocks runs this once more, now finding the winner's row. Callers updating
-- one existing row wait for each other, and the later one re-checks the WHEN condition.
SELECT token FROM FINAL TABLE (
    MERGE INTO tm_lock AS l
    USING (VALUES (CAST(:name AS VARCHAR(200)))) AS s (name) ON l.name = s.name
    WHEN MATCHED AND (l.expires_at IS NULL OR l.expires_at < :now) THEN
        UPDATE SET token = l.token + 1, holder_node = :node, holder_job = :jobId,
            holder_epoch = :leaseEpoch, acquired_at = :now, expires_at = :expiresAt
    WHEN NOT MATCHED THEN
        INSERT (name, token, holder_node, holder_job, holder_epoch, acquired_at, expires_at)
        VALUES (:name, 1, :node, :jobId, :leaseEpoch, :now, :expiresAt)
)

-- name: lockRenew
-- A lock that expired stays lost even when nobody took it: its holder was told it may be gone.
UPDATE tm_lock
SET expires_at = :expiresAt
WHERE name = :name AND token = :token AND holder_node = :node AND holder_job = :jobId
  AND holder_epoch = :leaseEpoch AND expires_at >= :now

-- name: lockRelease
-- Keeps the row and its token, so the next acquisition's token is higher.
UPDATE tm_lock
SET holder_node = NULL, holder_job = NULL, holder_epoch = NULL, acquired_at = NULL,
    expires_at = NULL
WHERE name = :name AND token = :token AND holder_node = :node AND holder_job = :jobId
  AND holder_epoch = :leaseEpoch
