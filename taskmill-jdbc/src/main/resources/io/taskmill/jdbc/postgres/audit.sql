-- Queries on tm_audit for PostgreSQL. The table takes inserts, and deletes of entries older than
-- 30 days (retention); V10's and V13's triggers refuse the rest.

-- name: appendAudit
-- seq comes from the identity, in the order inserts reach it (not commit order).
INSERT INTO tm_audit (at, key_id, role, action, resource, outcome, remote_address, request_id,
    detail)
VALUES (:at, :keyId, :role, :action, :resource, :outcome, :remoteAddress, :requestId, :detail)
RETURNING seq

-- name: listAudit
-- Null filters match everything; from is inclusive, to exclusive; beforeSeq is the page cursor.
-- tm_audit_key_idx serves a key's entries, tm_audit_at_idx a time range, the primary key the rest.
SELECT *
FROM tm_audit
WHERE (CAST(:keyId AS varchar) IS NULL OR key_id = :keyId)
  AND (CAST(:action AS varchar) IS NULL OR action = :action)
  AND (CAST(:from AS timestamptz) IS NULL OR at >= :from)
  AND (CAST(:to AS timestamptz) IS NULL OR at < :to)
  AND (CAST(:beforeSeq AS bigint) IS NULL OR seq < :beforeSeq)
ORDER BY seq DESC
LIMIT :limit

-- name: auditPrune
-- Retention, like outboxPrune: looks at the :limit oldest entries by seq only (the primary key)
-- and deletes those recorded before :before; entries are appended in roughly time order.
-- V13's row trigger refuses to delete entries younger than 30 days by the database's clock; the
-- second condition skips those instead of failing the batch when the engine's clock runs ahead.
DELETE FROM tm_audit
WHERE seq IN (SELECT oldest.seq
              FROM (SELECT seq, at FROM tm_audit ORDER BY seq LIMIT :limit) AS oldest
              WHERE oldest.at < :before)
  AND at < now() - INTERVAL '30 days'
