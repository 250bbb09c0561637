-- Queries on tm_lock for PostgreSQL.

-- name: takeLock
-- Takes a lock nobody holds (new, released, or expired before :now) with the next fencing token.
-- Atomic in one statement: a concurrent caller waits on the row (or on the new row's key) and
-- then re-checks the WHERE against the row as committed, so one caller wins and the others get no
-- row back.
INSERT INTO tm_lock AS l (name, token, holder_node, holder_job, holder_epoch, acquired_at, expires_at)
VALUES (:name, 1, :node, :jobId, :leaseEpoch, :now, :expiresAt)
ON CONFLICT (name) DO UPDATE
SET token = l.token + 1, holder_node = EXCLUDED.holder_node, holder_job = EXCLUDED.holder_job,
    holder_epoch = EXCLUDED.holder_epoch, acquired_at = EXCLUDED.acquired_at,
    expires_at = EXCLUDED.expires_at
WHERE l.expires_at IS NULL OR l.expires_at < :now
RETURNING l.token

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
