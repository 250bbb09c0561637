-- V2 declared each history table's foreign key to tm_job before creating its (job_id, seq) index,
-- so H2 made a (job_id) index of its own for the key: every event and log line written took an
-- entry in both. Only a (job_id) index is one H2 will let the key use, and it reads in seq order
-- anyway (seq is the row key an H2 index entry ends with), so each table keeps that one index,
-- under the name it had, for the key and for reading a job's history.
ALTER TABLE tm_job_event DROP CONSTRAINT tm_job_event_job_fk;
DROP INDEX tm_job_event_job_idx;
CREATE INDEX tm_job_event_job_idx ON tm_job_event (job_id);
ALTER TABLE tm_job_event ADD CONSTRAINT tm_job_event_job_fk
    FOREIGN KEY (job_id) REFERENCES tm_job (id) ON DELETE CASCADE;

ALTER TABLE tm_job_log DROP CONSTRAINT tm_job_log_job_fk;
DROP INDEX tm_job_log_job_idx;
CREATE INDEX tm_job_log_job_idx ON tm_job_log (job_id);
ALTER TABLE tm_job_log ADD CONSTRAINT tm_job_log_job_fk
    FOREIGN KEY (job_id) REFERENCES tm_job (id) ON DELETE CASCADE;

-- tm_schedule_run_job_idx (job_id) came after its key too (V8); declared again, the key uses it.
ALTER TABLE tm_schedule_run DROP CONSTRAINT tm_schedule_run_job_fk;
ALTER TABLE tm_schedule_run ADD CONSTRAINT tm_schedule_run_job_fk
    FOREIGN KEY (job_id) REFERENCES tm_job (id) ON DELETE CASCADE;
