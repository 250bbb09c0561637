-- API keys and the audit trail, for the server's authentication (DESIGN.md "Security").
-- The same columns and constraints as the H2 schema.

-- API keys. Only the SHA-256 of each secret is stored (ApiKeys.hash explains why a fast hash
-- suffices); the secret itself is shown once at creation and written nowhere. A revoked key stays,
-- so the audit trail's key ids keep naming it. Ids collate as "C", as on H2.
CREATE TABLE tm_api_key (
    id          varchar(40) COLLATE "C" NOT NULL,
    name        varchar(100)  NOT NULL,
    role        varchar(16)   NOT NULL,
    secret_hash varchar(64)   NOT NULL,
    created_at  timestamptz   NOT NULL,
    revoked_at  timestamptz,
    created_by  varchar(200)  NOT NULL,
    -- apiKeyInsert: a taken id is refused here, not by a lookup first.
    CONSTRAINT tm_api_key_pk PRIMARY KEY (id),
    -- apiKeyByHash reads this unique index: one lookup per authenticated request.
    CONSTRAINT tm_api_key_secret_hash_uq UNIQUE (secret_hash),
    CONSTRAINT tm_api_key_role_known CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN', 'WORKER')),
    -- A hex SHA-256 and nothing else, so a plaintext secret (tm_…) can never land here by mistake.
    CONSTRAINT tm_api_key_hash_is_sha256 CHECK (secret_hash ~ '^[0-9a-f]{64}$')
);

-- The audit trail: appended to, never changed. seq is the store's numbering (GENERATED ALWAYS:
-- no writer picks its own). key_id has no foreign key: a request presenting a well-formed but
-- unknown key is audited too.
CREATE TABLE tm_audit (
    seq            bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    at             timestamptz   NOT NULL,
    key_id         varchar(40) COLLATE "C",
    role           varchar(16),
    action         varchar(100)  NOT NULL,
    resource       varchar(1000),
    outcome        varchar(50)   NOT NULL,
    remote_address varchar(200),
    request_id     varchar(100),
    detail         varchar(4000),
    CONSTRAINT tm_audit_pk PRIMARY KEY (seq),
    CONSTRAINT tm_audit_role_known CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN', 'WORKER')),
    CONSTRAINT tm_audit_role_has_key CHECK (role IS NULL OR key_id IS NOT NULL)
);
-- auditList by key (a key's activity, newest first).
CREATE INDEX tm_audit_key_idx ON tm_audit (key_id, seq);
-- auditList by time range; the trail only grows, so a range must not mean a scan from the end.
CREATE INDEX tm_audit_at_idx ON tm_audit (at);

-- Append-only, enforced by the database: any UPDATE, DELETE or TRUNCATE of tm_audit fails, so
-- neither a bug in Taskmill nor a stolen application login can quietly rewrite history. The
-- triggers are per statement, so even a statement matching no row is refused. Only the table's
-- owner can get around it, and only visibly (ALTER TABLE … DISABLE TRIGGER, DROP TABLE).
-- Retention is not supported yet: it will need such a deliberate, owner-level step.
CREATE FUNCTION tm_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tm_audit is append-only: % is not allowed on the audit trail', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit entries are only ever inserted (migration V10).';
END
$$;

CREATE TRIGGER tm_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON tm_audit
    FOR EACH STATEMENT EXECUTE FUNCTION tm_audit_refuse_change();

CREATE TRIGGER tm_audit_no_truncate
    BEFORE TRUNCATE ON tm_audit
    FOR EACH STATEMENT EXECUTE FUNCTION tm_audit_refuse_change();
