-- The job table: one row per job, changed only by guarded updates that bump version.
CREATE TABLE tm_job (
    id               UUID                        NOT NULL,
    type             VARCHAR(200)                NOT NULL,
    queue            VARCHAR(100)                NOT NULL,
    state            VARCHAR(16)                 NOT NULL,
    priority         INT                         NOT NULL,
    run_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    payload          VARCHAR(1048576),
    result           VARCHAR(1048576),
    attempt          INT                         NOT NULL DEFAULT 0,
    max_attempts     INT                         NOT NULL,
    retry_policy     VARCHAR(4000),
    timeout_ms       BIGINT,
    idempotency_key  VARCHAR(300),
    tags             VARCHAR(8000)               NOT NULL DEFAULT '[]',
    correlation_id   VARCHAR(200),
    lease_owner      VARCHAR(200),
    lease_epoch      BIGINT                      NOT NULL DEFAULT 0,
    lease_expires_at TIMESTAMP(6) WITH TIME ZONE,
    cancel_requested BOOLEAN                     NOT NULL DEFAULT FALSE,
    last_error       VARCHAR(65536),
    log_count        INT                         NOT NULL DEFAULT 0,
    -- With created_at and the first event's from_state, this records the job's creation, so
    -- enqueue writes one row per job instead of a row and an event (see JdbcJobHistory.events).
    created_by       VARCHAR(200)                NOT NULL,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP(6) WITH TIME ZONE,
    version          BIGINT                      NOT NULL DEFAULT 0,
    CONSTRAINT tm_job_pk PRIMARY KEY (id),
    -- Idempotency is decided here, never by check-then-insert; NULL keys do not collide.
    CONSTRAINT tm_job_idempotency_key_uq UNIQUE (idempotency_key),
    CONSTRAINT tm_job_state_known
        CHECK (state IN ('SCHEDULED', 'ENQUEUED', 'RUNNING', 'SUCCEEDED', 'CANCELLED', 'DEAD')),
    -- A terminal job always says when it finished, and only a terminal job does.
    CONSTRAINT tm_job_finished_iff_terminal
        CHECK ((state IN ('SUCCEEDED', 'CANCELLED', 'DEAD')) = (finished_at IS NOT NULL)),
    -- A running job always has someone responsible for it, or the rescuer could never find it.
    CONSTRAINT tm_job_running_has_lease
        CHECK (state <> 'RUNNING' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CONSTRAINT tm_job_attempt_range CHECK (attempt >= 0 AND max_attempts >= 1),
    CONSTRAINT tm_job_log_count_positive CHECK (log_count >= 0)
);

-- claimCandidates: equality on queue and state, then exactly the claim order. H2 reads an index
-- in order (and stops at LIMIT) only when ORDER BY starts with the index's columns, so the
-- queries below order by the equality columns too.
CREATE INDEX tm_job_claim_idx ON tm_job (queue, state, priority DESC, run_at, id);
-- dueScheduledJobs and nextScheduledAt.
CREATE INDEX tm_job_due_idx ON tm_job (state, run_at, id);
-- expiredLeases.
CREATE INDEX tm_job_lease_idx ON tm_job (state, lease_expires_at, id);
