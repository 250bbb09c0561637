-- Queries on tm_job for PostgreSQL. Every state change is guarded in its WHERE clause and bumps
-- version; the caller checks the row count. Parameters are :named; instants are bound at UTC and
-- stored as timestamptz, so the session's TimeZone never changes what is stored or read.
--
-- Unlike H2, PostgreSQL's SELECT ... LIMIT n FOR UPDATE locks only the rows it returns, and
-- SKIP LOCKED skips rows another transaction holds, so several nodes claim at once without
-- waiting on each other or serializing in the process. Time still comes from :now (the engine's
-- clock), never from now().
--
-- A statement that changes known jobs (WHERE id = …) writes its state guard as `state || '' = …`:
-- no partial index (WHERE state = …) can serve that, so the rows are found by primary key whatever
-- the statistics say. A queue table's statistics are usually taken when few jobs wait; trusting
-- them, the planner served a claim of 300 jobs by scanning every ready job's entry in
-- tm_job_claim_idx, and a lease renewal by scanning every running job's (docs/architecture.md;
-- PgQueryPlanTest).

-- name: insertJob
-- Set-based (unlike H2's per-job batch): one row per element of parallel arrays, so a batch of
-- 1,000 jobs is one statement, not 1,000 executions; instants come as ISO-8601 UTC text. A taken
-- idempotency key inserts nothing (the row count says how many went in) and the store then reads
-- the job that holds it. A concurrent inserter of the same key waits on the unique index until
-- the first commits, so the existing job is always committed when it is read. A taken job id
-- still fails.
INSERT INTO tm_job (
    id, type, queue, state, priority, run_at, payload, attempt, max_attempts, retry_policy,
    timeout_ms, idempotency_key, tags, correlation_id, created_by, created_at, updated_at,
    schedule_name)
SELECT u.id, u.type, u.queue, u.state, u.priority, CAST(u.run_at AS timestamptz), u.payload, 0,
       u.max_attempts, u.retry_policy, u.timeout_ms, u.idempotency_key, u.tags, u.correlation_id,
       :node, CAST(u.created_at AS timestamptz), CAST(u.created_at AS timestamptz), u.schedule
FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS varchar[]), CAST(:queues AS varchar[]),
            CAST(:states AS varchar[]), CAST(:priorities AS integer[]),
            CAST(:runAts AS varchar[]), CAST(:payloads AS varchar[]),
            CAST(:maxAttempts AS integer[]), CAST(:retryPolicies AS varchar[]),
            CAST(:timeoutsMs AS bigint[]), CAST(:idempotencyKeys AS varchar[]),
            CAST(:tags AS varchar[]), CAST(:correlationIds AS varchar[]),
            CAST(:createdAts AS varchar[]), CAST(:schedules AS varchar[]))
    AS u(id, type, queue, state, priority, run_at, payload, max_attempts, retry_policy,
         timeout_ms, idempotency_key, tags, correlation_id, created_at, schedule)
ON CONFLICT (idempotency_key) DO NOTHING

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
WHERE (CAST(:state AS varchar) IS NULL OR state = :state)
  AND (CAST(:type AS varchar) IS NULL OR type = :type)
  AND (CAST(:queue AS varchar) IS NULL OR queue = :queue)
  AND (CAST(:queues AS varchar[]) IS NULL OR queue = ANY(:queues))
  AND (CAST(:tagPattern AS varchar) IS NULL OR tags ~ :tagPattern)
  AND (CAST(:createdFrom AS timestamptz) IS NULL OR created_at >= :createdFrom)
  AND (CAST(:createdTo AS timestamptz) IS NULL OR created_at < :createdTo)
  AND (CAST(:before AS uuid) IS NULL OR id < :before)
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
ORDER BY run_at
LIMIT 1

-- name: jobDueScheduled
-- Locked and skipped like claims, so two nodes promoting at once take different rows.
SELECT id, attempt, queue
FROM tm_job
WHERE state = 'SCHEDULED' AND run_at <= :now
ORDER BY run_at, id
LIMIT :limit
FOR UPDATE SKIP LOCKED

-- name: jobPromote
UPDATE tm_job
SET state = :to, updated_at = :now, version = version + 1
WHERE id = :id AND state || '' = :from

-- name: claimCandidates
-- Ready jobs in claim order: priority DESC, run_at, id (tm_job_claim_idx). The store pages with
-- :offset only when it trims types whose room ran out; rows this transaction already locked are
-- not skipped, so they are the first :offset rows again. SKIP LOCKED passes over rows another
-- claim holds; claimJob's guard still skips a row that changed meanwhile. Whole rows: they stay
-- locked until the claim commits, so the claim builds the claimed jobs from them.
SELECT *
FROM tm_job
WHERE queue = :queue AND state = 'ENQUEUED' AND run_at <= :now AND type = ANY(:types)
  -- Paused on any node means paused here too, even before this node's next poll sees it.
  AND NOT EXISTS (SELECT 1 FROM tm_queue q WHERE q.name = :queue AND q.paused)
ORDER BY priority DESC, run_at, id
LIMIT :limit OFFSET :offset
FOR UPDATE SKIP LOCKED

-- name: claimJob
-- Set-based (unlike H2's per-id batch): claimCandidates locked these rows, so one update takes
-- them all; the guard still skips a row that changed meanwhile, and RETURNING says which moved.
-- JdbcJobs.claim mirrors this SET clause to build the claimed jobs from the rows it locked.
UPDATE tm_job
SET state = 'RUNNING', attempt = attempt + 1, lease_owner = :node, lease_epoch = lease_epoch + 1,
    lease_expires_at = :leaseExpiresAt, started_at = :now, updated_at = :now,
    version = version + 1
WHERE id = ANY(:ids) AND state || '' = 'ENQUEUED'
RETURNING id

-- name: jobLockCompletionTargets
-- Locked in id order so concurrent multi-row writers queue up instead of deadlocking.
SELECT id, state, log_count, attempt
FROM tm_job
WHERE id = ANY(:ids)
ORDER BY id
FOR UPDATE

-- name: completeAttempt
-- Applies each outcome only under the lease epoch its attempt ran with (the fencing token). Set-
-- based (unlike H2's per-job batch): one row per completion in parallel arrays; instants come as
-- ISO-8601 UTC text. The caller passes each job at most once per run; RETURNING says which applied.
UPDATE tm_job AS j
SET state = u.to_state, result = u.result, last_error = u.last_error,
    finished_at = CAST(u.finished_at AS timestamptz),
    run_at = COALESCE(CAST(u.retry_at AS timestamptz), j.run_at), lease_owner = NULL,
    lease_expires_at = NULL, log_count = COALESCE(u.log_count, j.log_count), updated_at = CAST(u.at AS timestamptz),
    version = j.version + 1
FROM unnest(CAST(:ids AS uuid[]), CAST(:leaseEpochs AS bigint[]), CAST(:toStates AS varchar[]),
            CAST(:results AS varchar[]), CAST(:lastErrors AS varchar[]),
            CAST(:finishedAts AS varchar[]), CAST(:retryAts AS varchar[]),
            CAST(:logCounts AS integer[]), CAST(:ats AS varchar[]))
    AS u(id, lease_epoch, to_state, result, last_error, finished_at, retry_at, log_count, at)
WHERE j.id = u.id AND j.state || '' = 'RUNNING' AND j.lease_epoch = u.lease_epoch
RETURNING j.id

-- name: jobRenewLease
UPDATE tm_job
SET lease_expires_at = :leaseExpiresAt, version = version + 1
WHERE id = :id AND state || '' = 'RUNNING' AND lease_owner = :node AND lease_epoch = :leaseEpoch

-- name: jobCancelRequestedAmong
SELECT id
FROM tm_job
WHERE id = ANY(:ids) AND cancel_requested = TRUE

-- name: jobReleaseLease
-- Gives the attempt back: it did not run to an outcome, so it does not count.
UPDATE tm_job
SET state = :to, attempt = attempt - 1, lease_owner = NULL, lease_expires_at = NULL,
    updated_at = :now, version = version + 1
WHERE id = :id AND state || '' = 'RUNNING' AND lease_owner = :node AND lease_epoch = :leaseEpoch

-- name: jobExpiredLeases
-- Not locked: endLeases and finishLeases are guarded by the version read here.
SELECT *
FROM tm_job
WHERE state = 'RUNNING' AND lease_expires_at < :now
ORDER BY lease_expires_at, id
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
WHERE id = :id AND state || '' = :from AND version = :version
-- name: jobFinishLease
UPDATE tm_job
SET state = :to, last_error = :lastError, finished_at = :now, lease_owner = NULL,
    lease_expires_at = NULL, updated_at = :now, version = version + 1
WHERE id = :id AND state || '' = :from AND version = :version
-- name: jobFinishWaiting
-- :from and :to come from the engine (JobState.canMoveTo); :version makes the read-check-write
-- atomic.
UPDATE tm_job
SET state = :to, finished_at = :now, updated_at = :now, version = version + 1
WHERE id = :id AND version = :version AND state || '' = :from
-- name: jobRequestCancel
UPDATE tm_job
SET cancel_requested = TRUE, updated_at = :now, version = version + 1
WHERE id = :id AND version = :version AND state || '' = 'RUNNING'

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
WHERE id = :id AND version = :version AND state || '' = :from
