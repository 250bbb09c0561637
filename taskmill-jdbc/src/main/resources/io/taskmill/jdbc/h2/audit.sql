-- Queries on tm_audit for H2. Taskmill only appends to it, reads it and prunes old entries (see
-- V10 on why H2 does not refuse other changes itself).

-- name: appendAudit
-- The FINAL TABLE of the insert returns the seq the identity gave the row.
SELECT seq
FROM FINAL TABLE (
    INSERT INTO tm_audit (at, key_id, role, action, resource, outcome, remote_address,
        request_id, detail)
    VALUES (:at, :keyId, :role, :action, :resource, :outcome, :remoteAddress, :requestId,
        :detail))

-- name: listAudit
-- Null filters match everything; from is inclusive, to exclusive; beforeSeq is the page cursor.
SELECT *
FROM tm_audit
WHERE (CAST(:keyId AS VARCHAR) IS NULL OR key_id = :keyId)
  AND (CAST(:action AS VARCHAR) IS NULL OR action = :action)
  AND (CAST(:from AS TIMESTAMP WITH TIME ZONE) IS NULL OR at >= :from)
  AND (CAST(:to AS TIMESTAMP WITH TIME ZONE) IS NULL OR at < :to)
  AND (CAST(:beforeSeq AS BIGINT) IS NULL OR seq < :beforeSeq)
ORDER BY seq DESC
LIMIT :limit

-- name: auditPrune
-- Retention, like outboxPrune: looks at the :limit oldest entries by seq only (the primary key)
-- and deletes those recorded before :before; entries are appended in roughly time order.
DELETE FROM tm_audit
WHERE seq IN (SELECT oldest.seq
              FROM (SELECT seq, at FROM tm_audit ORDER BY seq LIMIT :limit) AS oldest
              WHERE oldest.at < :before)
