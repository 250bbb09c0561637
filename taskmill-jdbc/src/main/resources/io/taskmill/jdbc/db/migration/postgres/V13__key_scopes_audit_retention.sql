-- Queue-scoped API keys, and retention of the audit trail (RELIABILITY.md S2, S10).

-- The queues a key is limited to, as a JSON array of queue names (like tm_job.tags); NULL for a
-- key that may use every queue, which every key created before this migration is.
ALTER TABLE tm_api_key ADD COLUMN queues text;
ALTER TABLE tm_api_key ADD CONSTRAINT tm_api_key_queues_is_array
    CHECK (queues IS NULL OR queues LIKE '[%]');

-- V10 refused every UPDATE, DELETE and TRUNCATE of tm_audit. The leader now prunes entries older
-- than the configured retention (Store.auditPrune), so DELETE is allowed, row by row, of entries
-- older than 30 days only: the application login can still never rewrite or erase recent history,
-- whatever the engine is configured with or whatever a bug or an intruder sends. UPDATE and
-- TRUNCATE stay refused per statement, as before. The 30 days are TaskmillBuilder.MIN_RETAIN_AUDIT.
DROP TRIGGER tm_audit_no_update_delete ON tm_audit;

CREATE TRIGGER tm_audit_no_update
    BEFORE UPDATE ON tm_audit
    FOR EACH STATEMENT EXECUTE FUNCTION tm_audit_refuse_change();

CREATE FUNCTION tm_audit_refuse_recent_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- now() is the transaction's start: a long transaction cannot stretch the window.
    IF OLD.at >= now() - interval '30 days' THEN
        RAISE EXCEPTION 'tm_audit keeps 30 days: entry % of % may not be deleted yet', OLD.seq, OLD.at
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only entries older than 30 days are pruned (migration V13).';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER tm_audit_no_recent_delete
    BEFORE DELETE ON tm_audit
    FOR EACH ROW EXECUTE FUNCTION tm_audit_refuse_recent_delete();
