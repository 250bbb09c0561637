-- Nodes, leadership and retention for H2.

-- name: storeTime
SELECT CURRENT_TIMESTAMP(6) AS now

-- name: leaderHolds
-- Locked: a takeover (tryLead's UPDATE) waits until the fenced write commits, so no leader-only
-- write ever commits under a term that has already been replaced. (H2 has no FOR SHARE.)
SELECT term
FROM tm_leader
WHERE id = 1 AND node = :node AND term = :term AND expires_at >= :now
FOR UPDATE

-- name: nodeState
SELECT state
FROM tm_node
WHERE id = :id
FOR UPDATE

-- name: insertNode
INSERT INTO tm_node (id, host, pid, version, queues, types, concurrency, started_at, heartbeat_at,
                     running, cpu_load, heap_used, heap_max, state)
VALUES (:id, :host, :pid, :version, :queues, :types, :concurrency, :startedAt, :heartbeatAt,
        :running, :cpuLoad, :heapUsed, :heapMax, 'ALIVE')

-- name: updateNode
UPDATE tm_node
SET host = :host, pid = :pid, version = :version, queues = :queues, types = :types,
    concurrency = :concurrency, started_at = :startedAt, heartbeat_at = :heartbeatAt,
    running = :running, cpu_load = :cpuLoad, heap_used = :heapUsed, heap_max = :heapMax,
    state = 'ALIVE'
WHERE id = :id

-- name: nodeLeave
UPDATE tm_node
SET state = 'LEFT', running = 0, heartbeat_at = :now
WHERE id = :id

-- name: nodeOverdue
SELECT id
FROM tm_node
WHERE state = 'ALIVE' AND heartbeat_at < :before
ORDER BY id
FOR UPDATE

-- name: nodeDeclareDead
UPDATE tm_node
SET state = 'DEAD'
WHERE id = :id AND state = 'ALIVE'

-- name: jobExpireLeasesOf
-- The rescuer takes these back on its next pass; it judges by lease expiry alone.
UPDATE tm_job
SET lease_expires_at = :now, version = version + 1
WHERE state = 'RUNNING' AND lease_owner = :node AND lease_expires_at > :now

-- name: nodePrune
DELETE FROM tm_node
WHERE state <> 'ALIVE' AND heartbeat_at < :before

-- name: nodeList
SELECT *
FROM tm_node
ORDER BY id

-- name: tryLead
-- Renews the holder's lease, or hands a lapsed one to :node under the next term. A holder whose
-- own lease lapsed also gets a new term: it stopped trusting the old one when it lapsed.
-- (Every right-hand side reads the row as it was before this update.)
UPDATE tm_leader
SET term = CASE WHEN node = :node AND expires_at >= :now THEN term ELSE term + 1 END,
    node = :node,
    expires_at = :expiresAt
WHERE id = 1 AND (node = :node OR expires_at < :now)

-- name: leaderGet
SELECT node, term, expires_at
FROM tm_leader
WHERE id = 1 AND term > 0

-- name: leaderResign
UPDATE tm_leader
-- Lapsed at the epoch, before any node's now, however skewed its clock.
SET expires_at = TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'
WHERE id = 1 AND node = :node AND term = :term

-- name: jobPrunable
-- Read through tm_job_due_idx in run_at order: a job finishes after its run_at, so the range
-- holds every prunable row, and the few in it that finished later (retried for days) are skipped.
-- A job cancelled before its run_at is the exception: it stays until its run_at is past the cutoff
-- too. Read apart from the delete: H2 took 1.1-1.7 s to delete 1,000 jobs through an IN
-- (subquery) of the same table, 60 ms by their ids.
SELECT id
FROM tm_job
WHERE state = :state AND run_at < :before AND finished_at < :before
ORDER BY state, run_at, id
LIMIT :limit

-- name: jobDelete
-- Events and log lines go with their job (ON DELETE CASCADE).
DELETE FROM tm_job
WHERE id = ANY(:ids)
