-- The job table: one row per job, changed only by guarded updates that bump version.
-- The same columns and constraints as the H2 schema; timestamptz holds microseconds.
CREATE TABLE tm_job (
    id               uuid          NOT NULL,
    type             varchar(200)  NOT NULL,
    queue            varchar(100)  NOT NULL,
    state            varchar(16)   NOT NULL,
    priority         integer       NOT NULL,
    run_at           timestamptz   NOT NULL,
    payload          varchar(1048576),
    result           varchar(1048576),
    attempt          integer       NOT NULL DEFAULT 0,
    max_attempts     integer       NOT NULL,
    retry_policy     varchar(4000),
    timeout_ms       bigint,
    idempotency_key  varchar(300),
    tags             varchar(8000) NOT NULL DEFAULT '[]',
    correlation_id   varchar(200),
    lease_owner      varchar(200),
    lease_epoch      bigint        NOT NULL DEFAULT 0,
    lease_expires_at timestamptz,
    cancel_requested boolean       NOT NULL DEFAULT FALSE,
    last_error       varchar(65536),
    log_count        integer       NOT NULL DEFAULT 0,
    -- With created_at and the first event's from_state, this records the job's creation, so
    -- enqueue writes one row per job instead of a row and an event (see JdbcJobHistory.events).
    created_by       varchar(200)  NOT NULL,
    created_at       timestamptz   NOT NULL,
    updated_at       timestamptz   NOT NULL,
    finished_at      timestamptz,
    version          bigint        NOT NULL DEFAULT 0,
    CONSTRAINT tm_job_pk PRIMARY KEY (id),
    -- Idempotency is decided here, never by check-then-insert; NULL keys do not collide.
    -- insertJob names this constraint's column in ON CONFLICT (idempotency_key).
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

-- Partial indexes: each hot query reads only rows in one state, and most rows of a busy table
-- are finished jobs that no hot query wants.
-- claimCandidates: the queue by equality, then exactly the claim order, so a claim reads the
-- index in order and stops at its LIMIT.
CREATE INDEX tm_job_claim_idx ON tm_job (queue, priority DESC, run_at, id)
    WHERE state = 'ENQUEUED';
-- dueScheduledJobs and nextScheduledAt (id breaks run_at ties in dueScheduledJobs' order).
CREATE INDEX tm_job_due_idx ON tm_job (run_at, id) WHERE state = 'SCHEDULED';
-- expiredLeases, and foreignLeases reads the same running rows.
CREATE INDEX tm_job_lease_idx ON tm_job (lease_expires_at, id) WHERE state = 'RUNNING';
