-- Named locks handlers take (JobContext.locks()). A row is kept after release, so the name's
-- fencing token keeps increasing across acquisitions; holder_* and expires_at say who holds it.
CREATE TABLE tm_lock (
    name         VARCHAR(200)                NOT NULL,
    token        BIGINT                      NOT NULL,
    holder_node  VARCHAR(200),
    holder_job   UUID,
    holder_epoch BIGINT,
    acquired_at  TIMESTAMP(6) WITH TIME ZONE,
    expires_at   TIMESTAMP(6) WITH TIME ZONE,
    -- One row per name: concurrent acquirers of a new name meet here.
    CONSTRAINT tm_lock_pk PRIMARY KEY (name),
    CONSTRAINT tm_lock_token_positive CHECK (token >= 1),
    -- Held (every holder column set) or released (none set), never half of each.
    CONSTRAINT tm_lock_holder_whole CHECK (
        (holder_node IS NULL AND holder_job IS NULL AND holder_epoch IS NULL
            AND acquired_at IS NULL AND expires_at IS NULL)
        OR (holder_node IS NOT NULL AND holder_job IS NOT NULL AND holder_epoch IS NOT NULL
            AND acquired_at IS NOT NULL AND expires_at IS NOT NULL))
);
