-- Queries on tm_api_key for H2. Only secret hashes ever pass through here.

-- name: insertApiKey
-- A taken id or hash fails on its unique constraint; JdbcApiKeys reports that as "not inserted".
INSERT INTO tm_api_key (id, name, role, secret_hash, created_at, revoked_at, created_by,
    queues)
VALUES (:id, :name, :role, :secretHash, :createdAt, :revokedAt, :createdBy, :queues)

-- name: apiKeyByHash
-- tm_api_key_secret_hash_uq: one index lookup per authenticated request.
SELECT *
FROM tm_api_key
WHERE secret_hash = :secretHash

-- name: apiKeyList
-- Newest first; ids are random, so they only break ties.
SELECT *
FROM tm_api_key
ORDER BY created_at DESC, id

-- name: apiKeyRevoke
-- Guarded: a second revocation matches nothing and the first time stays.
UPDATE tm_api_key
SET revoked_at = :now
WHERE id = :id AND revoked_at IS NULL
