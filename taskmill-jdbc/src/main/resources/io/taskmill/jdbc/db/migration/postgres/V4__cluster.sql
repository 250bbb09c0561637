-- Engine instances sharing this database, each as it last reported itself in its heartbeat.
CREATE TABLE tm_node (
    id           varchar(200)     NOT NULL,
    host         varchar(255)     NOT NULL,
    pid          bigint           NOT NULL,
    version      varchar(50)      NOT NULL,
    queues       varchar(65536)   NOT NULL,
    types        varchar(1048576) NOT NULL,
    concurrency  integer          NOT NULL,
    started_at   timestamptz      NOT NULL,
    heartbeat_at timestamptz      NOT NULL,
    running      integer          NOT NULL,
    cpu_load     double precision NOT NULL,
    heap_used    bigint           NOT NULL,
    heap_max     bigint           NOT NULL,
    state        varchar(8)       NOT NULL,
    CONSTRAINT tm_node_pk PRIMARY KEY (id),
    CONSTRAINT tm_node_state_known CHECK (state IN ('ALIVE', 'DEAD', 'LEFT'))
);

-- The one leadership row. Its term grows with every change of leader and fences leader-only
-- writes: each of them locks this row and checks its term in the same transaction.
CREATE TABLE tm_leader (
    id         smallint     NOT NULL,
    node       varchar(200) NOT NULL,
    term       bigint       NOT NULL,
    expires_at timestamptz  NOT NULL,
    CONSTRAINT tm_leader_pk PRIMARY KEY (id),
    CONSTRAINT tm_leader_single CHECK (id = 1),
    CONSTRAINT tm_leader_term_positive CHECK (term >= 0)
);
-- Term 0 means nobody ever led; the row exists so electing is one guarded UPDATE.
INSERT INTO tm_leader (id, node, term, expires_at) VALUES (1, '', 0, TIMESTAMPTZ '1970-01-01 00:00:00+00');

-- pruneJobs: finished jobs by age; only terminal rows have finished_at.
CREATE INDEX tm_job_finished_idx ON tm_job (state, finished_at) WHERE finished_at IS NOT NULL;
