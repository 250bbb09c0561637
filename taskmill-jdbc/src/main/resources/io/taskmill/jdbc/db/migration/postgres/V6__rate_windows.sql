-- Starts of rate-limited job types per aligned window, written by the claim that starts them, in
-- its transaction. A claim that opens a type's new window deletes the type's windows before the
-- previous one, so a type keeps two or three rows.
CREATE TABLE tm_rate_window (
    type         varchar(200) NOT NULL,
    window_start timestamptz  NOT NULL,
    started      integer      NOT NULL,
    CONSTRAINT tm_rate_window_pk PRIMARY KEY (type, window_start),
    CONSTRAINT tm_rate_window_started_positive CHECK (started >= 0)
);

-- limitUsage counts one type's running jobs at every claim of a type with a cluster-wide
-- concurrency limit; this reads just those rows, at most the limit of them.
CREATE INDEX tm_job_running_type_idx ON tm_job (type) WHERE state = 'RUNNING';
