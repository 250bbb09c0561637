-- API keys and the audit trail, for the server's authentication (DESIGN.md "Security").

-- API keys. Only the SHA-256 of each secret is stored (ApiKeys.hash explains why a fast hash
-- suffices); the secret itself is shown once at creation and written nowhere. A revoked key stays,
-- so the audit trail's key ids keep naming it.
CREATE TABLE tm_api_key (
    id          VARCHAR(40)                 NOT NULL,
    name        VARCHAR(100)                NOT NULL,
    role        VARCHAR(16)                 NOT NULL,
    secret_hash VARCHAR(64)                 NOT NULL,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP(6) WITH TIME ZONE,
    created_by  VARCHAR(200)                NOT NULL,
    -- apiKeyInsert: a taken id is refused here, not by a lookup first.
    CONSTRAINT tm_api_key_pk PRIMARY KEY (id),
    -- apiKeyByHash reads this unique index: one lookup per authenticated request.
    CONSTRAINT tm_api_key_secret_hash_uq UNIQUE (secret_hash),
    CONSTRAINT tm_api_key_role_known CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN', 'WORKER')),
    -- A hex SHA-256 and nothing else, so a plaintext secret (tm_…) can never land here by mistake.
    CONSTRAINT tm_api_key_hash_is_sha256 CHECK (REGEXP_LIKE(secret_hash, '^[0-9a-f]{64}$'))
);

-- The audit trail: appended to, never changed. seq is the store's numbering (GENERATED ALWAYS:
-- no writer picks its own). key_id has no foreign key: a request presenting a well-formed but
-- unknown key is audited too.
--
-- Unlike PostgreSQL (V10 there), H2 does not refuse UPDATE and DELETE on this table: H2 triggers
-- are Java classes named in the DDL, which would tie every database file to a class name of ours
-- forever, and would guard nothing real. The embedded file belongs to the one process that holds
-- its lock, and whoever can write that file can rewrite any table, triggers included. Taskmill
-- itself only ever inserts (auditAppend).
CREATE TABLE tm_audit (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,
    at             TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    key_id         VARCHAR(40),
    role           VARCHAR(16),
    action         VARCHAR(100)                NOT NULL,
    resource       VARCHAR(1000),
    outcome        VARCHAR(50)                 NOT NULL,
    remote_address VARCHAR(200),
    request_id     VARCHAR(100),
    detail         VARCHAR(4000),
    CONSTRAINT tm_audit_pk PRIMARY KEY (seq),
    CONSTRAINT tm_audit_role_known CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN', 'WORKER')),
    CONSTRAINT tm_audit_role_has_key CHECK (role IS NULL OR key_id IS NOT NULL)
);
-- auditList by key (a key's activity, newest first).
CREATE INDEX tm_audit_key_idx ON tm_audit (key_id, seq);
-- auditList by time range; the trail only grows, so a range must not mean a scan from the end.
CREATE INDEX tm_audit_at_idx ON tm_audit (at);
