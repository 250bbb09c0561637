-- Queries on tm_audit for PostgreSQL. The table only takes inserts (V10's triggers refuse the
-- rest), so there is nothing here but appending and reading.

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
