-- Queue-scoped API keys (RELIABILITY.md S2). Audit retention needs no schema change on H2, which
-- never refused changes to tm_audit (V10 says why); the leader prunes it as on PostgreSQL.

-- The queues a key is limited to, as a JSON array of queue names (like tm_job.tags); NULL for a
-- key that may use every queue, which every key created before this migration is.
ALTER TABLE tm_api_key ADD COLUMN queues VARCHAR(16000);
ALTER TABLE tm_api_key ADD CONSTRAINT tm_api_key_queues_is_array
    CHECK (queues IS NULL OR queues LIKE '[%]');
