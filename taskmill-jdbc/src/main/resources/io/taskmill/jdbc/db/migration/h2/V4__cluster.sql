-- Engine instances sharing this database, each as it last reported itself in its heartbeat.
CREATE TABLE tm_node (
    id           VARCHAR(200)     NOT NULL,
    host         VARCHAR(255)     NOT NULL,
    pid          BIGINT           NOT NULL,
    version      VARCHAR(50)      NOT NULL,
    queues       VARCHAR(65536)   NOT NULL,
    types        VARCHAR(1048576) NOT NULL,
    concurrency  INTEGER          NOT NULL,
    started_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    running      INTEGER          NOT NULL,
    cpu_load     DOUBLE PRECISION NOT NULL,
    heap_used    BIGINT           NOT NULL,
    heap_max     BIGINT           NOT NULL,
    state        VARCHAR(8)       NOT NULL,
    CONSTRAINT tm_node_pk PRIMARY KEY (id),
    CONSTRAINT tm_node_state_known CHECK (state IN ('ALIVE', 'DEAD', 'LEFT'))
);

-- The one leadership row. Its term grows with every change of leader and fences leader-only
-- writes: each of them locks this row and checks its term in the same transaction.
CREATE TABLE tm_leader (
    id         SMALLINT     NOT NULL,
    node       VARCHAR(200) NOT NULL,
    term       BIGINT       NOT NULL,
    expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT tm_leader_pk PRIMARY KEY (id),
    CONSTRAINT tm_leader_single CHECK (id = 1),
    CONSTRAINT tm_leader_term_positive CHECK (term >= 0)
);
-- Term 0 means nobody ever led; the row exists so electing is one guarded UPDATE.
INSERT INTO tm_leader (id, node, term, expires_at) VALUES (1, '', 0, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');

-- pruneJobs: finished jobs by age.
CREATE INDEX tm_job_finished_idx ON tm_job (state, finished_at);
