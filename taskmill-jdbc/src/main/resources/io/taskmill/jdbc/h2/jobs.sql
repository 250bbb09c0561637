-- Queries on tm_job for H2. Every state change is guarded in its WHERE clause and bumps version;
-- the caller checks the row count. Parameters are :named; instants are bound at UTC.
--
-- Two H2 habits shape the candidate queries (claim, promote, rescue):
-- * SELECT ... ORDER BY ... LIMIT n FOR UPDATE locks every row matching the WHERE clause, not
--   the n it returns (measured on 2.5.252: a claim of 50 locked all 100,000 ready jobs and took
--   0.9 s). So they read without FOR UPDATE, and the guarded UPDATE that follows decides: a row
--   that changed in between updates 0 rows and is skipped.
-- * H2 reads an index in order, stopping at LIMIT, only when ORDER BY starts with the index's
--   columns; ordering by the columns fixed by equality first changes no result and lets it.

-- name: insertJob
-- Plain insert: the unique constraint on idempotency_key rejects a duplicate key, and the store
-- then returns the existing job (PostgreSQL will use ON CONFLICT DO NOTHING instead).
INSERT INTO tm_job (
    id, type, queue, state, priority, run_at, payload, attempt, max_attempts, retry_policy,
    timeout_ms, idempotency_key, tags, correlation_id, created_by, created_at, updated_at,
    schedule_name)
VALUES (
    :id, :type, :queue, :state, :priority, :runAt, :payload, 0, :maxAttempts, :retryPolicy,
    :timeoutMs, :idempotencyKey, :tags, :correlationId, :node, :createdAt, :createdAt,
    :schedule)

-- name: findByIdempotencyKey
SELECT id, state, run_at
FROM tm_job
WHERE idempotency_key = :idempotencyKey

-- name: jobGetAll
SELECT *
FROM tm_job
WHERE id = ANY(:ids)

-- name: listJobs
-- Null filters match everything; ids are time-ordered, so id DESC is newest first. Tags are JSON
-- text: :tagPattern (TagsJson.containsPattern) parses the whole array, so it matches a tag only as
-- a whole element, never inside another tag. No index serves the tag or created_at filters: they
-- are for people and APIs paging through jobs, and every write would pay for one. :queues (a
-- queue-scoped key's queues) is an array, NULL for any queue.
SELECT *
FROM tm_job
WHERE (CAST(:state AS VARCHAR) IS NULL OR state = :state)
  AND (CAST(:type AS VARCHAR) IS NULL OR type = :type)
  AND (CAST(:queue AS VARCHAR) IS NULL OR queue = :queue)
  AND (CAST(:queues AS VARCHAR ARRAY) IS NULL OR queue = ANY(:queues))
  AND (CAST(:tagPattern AS VARCHAR) IS NULL OR REGEXP_LIKE(tags, :tagPattern))
  AND (CAST(:createdFrom AS TIMESTAMP(6) WITH TIME ZONE) IS NULL OR created_at >= :createdFrom)
  AND (CAST(:createdTo AS TIMESTAMP(6) WITH TIME ZONE) IS NULL OR created_at < :createdTo)
  AND (CAST(:before AS UUID) IS NULL OR id < :before)
ORDER BY id DESC
LIMIT :limit

-- name: tallyJobs
-- The stats API, in one pass over tm_job: jobs by queue, type and state, and how many of them
-- finished within each of JobTally.WINDOWS (:since0 is the shortest window's start).
SELECT queue, type, state, COUNT(*) AS job_count,
       SUM(CASE WHEN finished_at >= :since0 THEN 1 ELSE 0 END) AS finished0,
       SUM(CASE WHEN finished_at >= :since1 THEN 1 ELSE 0 END) AS finished1,
       SUM(CASE WHEN finished_at >= :since2 THEN 1 ELSE 0 END) AS finished2,
       SUM(CASE WHEN finished_at >= :since3 THEN 1 ELSE 0 END) AS finished3
FROM tm_job
GROUP BY queue, type, state
ORDER BY queue, type, state

-- name: jobNextScheduledAt
SELECT run_at AS next_run_at
FROM tm_job
WHERE state = 'SCHEDULED'
ORDER BY state, run_at
LIMIT 1

-- name: jobDueScheduled
SELECT id, attempt, queue
FROM tm_job
WHERE state = 'SCHEDULED' AND run_at <= :now
ORDER BY state, run_at, id
LIMIT :limit

-- name: jobPromote
UPDATE tm_job
SET state = :to, updated_at = :now, version = version + 1
WHERE id = :id AND state = :from

-- name: claimCandidates
-- Ready jobs in claim order: priority DESC, run_at, id. The store pages with :offset only when
-- it trims types whose room ran out. Claims are serialized in the process (H2's SKIP LOCKED
-- returns empty claims under contention), and claimJob's guard skips a row cancelled meanwhile.
-- Whole rows: the claim builds the claimed jobs from them instead of reading the rows again.
SELECT *
FROM tm_job
WHERE queue = :queue AND state = 'ENQUEUED' AND run_at <= :now AND type = ANY(:types)
  -- Paused on any node means paused here too, even before this node's next poll sees it.
  AND NOT EXISTS (SELECT 1 FROM tm_queue q WHERE q.name = :queue AND q.paused)
ORDER BY queue, state, priority DESC, run_at, id
LIMIT :limit OFFSET :offset

-- name: claimJob
-- :version is the candidate's as read in this transaction: a row changed since (cancelled, say)
-- updates 0 rows and is skipped, and a row this changes is the row that was read, so the store
-- knows the claimed job without reading it again (JdbcJobs.claim mirrors this SET clause).
UPDATE tm_job
SET state = 'RUNNING', attempt = attempt + 1, lease_owner = :node, lease_epoch = lease_epoch + 1,
    lease_expires_at = :leaseExpiresAt, started_at = :now, updated_at = :now,
    version = version + 1
WHERE id = :id AND version = :version

-- name: jobLockCompletionTargets
-- Locked in id order so concurrent multi-row writers queue up instead of deadlocking. By id
-- only, so FOR UPDATE locks just these rows.
SELECT id, state, log_count, attempt
FROM tm_job
WHERE id = ANY(:ids)
ORDER BY id
FOR UPDATE

-- name: completeAttempt
-- Applies an outcome only under the lease epoch the attempt ran with (the fencing token).
UPDATE tm_job
SET state = :toState, result = :result, last_error = :lastError, finished_at = :finishedAt,
    run_at = COALESCE(:retryAt, run_at), lease_owner = NULL, lease_expires_at = NULL,
    log_count = COALESCE(:logCount, log_count), updated_at = :at, version = version + 1
WHERE id = :id AND state = 'RUNNING' AND lease_epoch = :leaseEpoch

-- name: jobRenewLease
UPDATE tm_job
SET lease_expires_at = :leaseExpiresAt, version = version + 1
WHERE id = :id AND state = 'RUNNING' AND lease_owner = :node AND lease_epoch = :leaseEpoch

-- name: jobCancelRequestedAmong
SELECT id
FROM tm_job
WHERE id = ANY(:ids) AND cancel_requested = TRUE

-- name: jobReleaseLease
-- Gives the attempt back: it did not run to an outcome, so it does not count.
UPDATE tm_job
SET state = :to, attempt = attempt - 1, lease_owner = NULL, lease_expires_at = NULL,
    updated_at = :now, version = version + 1
WHERE id = :id AND state = 'RUNNING' AND lease_owner = :node AND lease_epoch = :leaseEpoch

-- name: jobExpiredLeases
SELECT *
FROM tm_job
WHERE state = 'RUNNING' AND lease_expires_at < :now
ORDER BY state, lease_expires_at, id
LIMIT :limit

-- name: jobForeignLeases
SELECT *
FROM tm_job
WHERE state = 'RUNNING' AND lease_owner <> :node
ORDER BY id

-- name: jobEndLease
-- A running job, as the engine read it, back to the waiting state :to that it chose; the attempt
-- stays counted. :version is the row as read, so a lease renewed meanwhile is left alone.
UPDATE tm_job
SET state = :to, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now,
    version = version + 1
WHERE id = :id AND state = :from AND version = :version
-- name: jobFinishLease
UPDATE tm_job
SET state = :to, last_error = :lastError, finished_at = :now, lease_owner = NULL,
    lease_expires_at = NULL, updated_at = :now, version = version + 1
WHERE id = :id AND state = :from AND version = :version
-- name: jobFinishWaiting
-- :from and :to come from the engine (JobState.canMoveTo); :version makes the read-check-write
-- atomic.
UPDATE tm_job
SET state = :to, finished_at = :now, updated_at = :now, version = version + 1
WHERE id = :id AND version = :version AND state = :from
-- name: jobRequestCancel
UPDATE tm_job
SET cancel_requested = TRUE, updated_at = :now, version = version + 1
WHERE id = :id AND version = :version AND state = 'RUNNING'

-- name: jobRestart
-- A manual retry: a fresh attempt budget, due now. last_error stays until the next outcome
-- replaces it; lease_epoch keeps growing, so no late answer of an earlier attempt can apply.
-- cancel_requested is cleared, or a job cancelled while running would be stopped again at once.
-- :from and :to come from the engine (JobState.isRetryable); :version makes the
-- read-check-write atomic.
UPDATE tm_job
SET state = :to, run_at = :now, attempt = 0, result = NULL, started_at = NULL,
    finished_at = NULL, lease_owner = NULL, lease_expires_at = NULL, cancel_requested = FALSE,
    updated_at = :now, version = version + 1
WHERE id = :id AND version = :version AND state = :from
