-- Starts of rate-limited job types per aligned window, written by the claim that starts them, in
-- its transaction. A claim that opens a type's new window deletes the type's windows before the
-- previous one, so a type keeps two or three rows.
CREATE TABLE tm_rate_window (
    type         VARCHAR(200)                NOT NULL,
    window_start TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    started      INT                         NOT NULL,
    CONSTRAINT tm_rate_window_pk PRIMARY KEY (type, window_start),
    CONSTRAINT tm_rate_window_started_positive CHECK (started >= 0)
);
-- No index for limitUsage's count of running jobs: tm_job_lease_idx leads with state, so the
-- count reads only RUNNING rows, which on one embedded node are at most its concurrency; a
-- (state, type) index would cost every state change of every job for that.
