-- The event feed: one sequence numbers every job transition (tm_job_event) and every outbox row
-- (tm_outbox), so one number orders both and a subscriber resumes from it (Last-Event-ID).

CREATE SEQUENCE tm_feed_seq AS bigint;

-- tm_job_event.seq drew from its own identity until now; it continues from the shared sequence.
-- The table is locked by the ALTER, so no insert can take a number in between.
ALTER TABLE tm_job_event ALTER COLUMN seq DROP IDENTITY;
SELECT setval('tm_feed_seq', (SELECT COALESCE(max(seq), 0) + 1 FROM tm_job_event), false);
ALTER TABLE tm_job_event ALTER COLUMN seq SET DEFAULT nextval('tm_feed_seq');

-- What the feed carries that is not a job transition, written in the transaction of the change.
-- A job's creation is not a tm_job_event row (it is on tm_job, to halve an enqueue's writes), so
-- an insert writes one 'jobs.created' row per batch here, listing the jobs (see CreatedJobs).
-- Pruned by age by the leader, in seq order (the primary key), like the jobs it names.
CREATE TABLE tm_outbox (
    seq  bigint        DEFAULT nextval('tm_feed_seq') NOT NULL,
    at   timestamptz   NOT NULL,
    kind varchar(64)   NOT NULL,
    body text          NOT NULL,
    CONSTRAINT tm_outbox_pk PRIMARY KEY (seq),
    CONSTRAINT tm_outbox_kind_known CHECK (kind IN ('jobs.created'))
);
