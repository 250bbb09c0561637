-- The event feed: one sequence numbers every job transition (tm_job_event) and every outbox row
-- (tm_outbox), so one number orders both and a subscriber resumes from it (Last-Event-ID).

CREATE SEQUENCE tm_feed_seq AS BIGINT;

-- tm_job_event.seq drew from its own identity until now; it continues from the shared sequence.
ALTER TABLE tm_job_event ALTER COLUMN seq DROP IDENTITY;
ALTER SEQUENCE tm_feed_seq RESTART WITH (SELECT COALESCE(MAX(seq), 0) + 1 FROM tm_job_event);
ALTER TABLE tm_job_event ALTER COLUMN seq SET DEFAULT NEXT VALUE FOR tm_feed_seq;

-- What the feed carries that is not a job transition, written in the transaction of the change.
-- A job's creation is not a tm_job_event row (it is on tm_job, to halve an enqueue's writes), so
-- an insert writes one 'jobs.created' row per batch here, listing the jobs (see CreatedJobs).
-- A body is at most CreatedJobs.MAX_JOBS jobs, well within VARCHAR's 1,000,000 characters: kept
-- in the row, where a CLOB would cost H2 a separate LOB write per enqueue.
CREATE TABLE tm_outbox (
    seq  BIGINT                      DEFAULT NEXT VALUE FOR tm_feed_seq NOT NULL,
    at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    kind VARCHAR(64)                 NOT NULL,
    body VARCHAR(1000000)            NOT NULL,
    CONSTRAINT tm_outbox_pk PRIMARY KEY (seq),
    CONSTRAINT tm_outbox_kind_known CHECK (kind IN ('jobs.created'))
);
