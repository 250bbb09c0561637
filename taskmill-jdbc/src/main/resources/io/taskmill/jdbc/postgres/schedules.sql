-- Queries on tm_schedule and tm_schedule_run for PostgreSQL.

-- name: scheduleGet
SELECT *
FROM tm_schedule
WHERE name = :name

-- name: scheduleList
-- A null :afterName starts at the first name. Names collate as "C" (see V8), as on H2.
SELECT *
FROM tm_schedule
WHERE CAST(:afterName AS varchar) IS NULL OR name > :afterName
ORDER BY name
LIMIT :limit

-- name: insertSchedule
-- A taken name inserts nothing (row count 0): any error would abort the transaction.
INSERT INTO tm_schedule (
    name, trigger, zone, job_type, job_queue, job_priority, job_payload, job_max_attempts,
    job_retry_policy, job_timeout_ms, job_tags, misfire, overlap, paused, next_fire_at,
    last_fire_at, last_job_id, created_at, updated_at, version)
VALUES (
    :name, :trigger, :zone, :jobType, :jobQueue, :jobPriority, :jobPayload, :jobMaxAttempts,
    :jobRetryPolicy, :jobTimeoutMs, :jobTags, :misfire, :overlap, :paused, :nextFireAt,
    :lastFireAt, :lastJobId, :createdAt, :updatedAt, 0)
ON CONFLICT (name) DO NOTHING

-- name: scheduleUpdate
-- Optimistic: a writer that read an older version changes nothing. Firing state (last_fire_at,
-- last_job_id) and created_at are not the caller's to change.
UPDATE tm_schedule
SET trigger = :trigger, zone = :zone, job_type = :jobType, job_queue = :jobQueue,
    job_priority = :jobPriority, job_payload = :jobPayload, job_max_attempts = :jobMaxAttempts,
    job_retry_policy = :jobRetryPolicy, job_timeout_ms = :jobTimeoutMs, job_tags = :jobTags,
    misfire = :misfire, overlap = :overlap, paused = :paused, next_fire_at = :nextFireAt,
    updated_at = :updatedAt, version = version + 1
WHERE name = :name AND version = :expectedVersion

-- name: scheduleDelete
-- Runs go with it (ON DELETE CASCADE); its jobs stay and keep its name.
DELETE FROM tm_schedule
WHERE name = :name

-- name: schedulesDue
-- tm_schedule_due_idx holds only unpaused rows, in this order.
SELECT s.*, j.state AS last_job_state
FROM tm_schedule s
LEFT JOIN tm_job j ON j.id = s.last_job_id
WHERE NOT s.paused AND s.next_fire_at <= :now
ORDER BY s.next_fire_at, s.name
LIMIT :limit

-- name: scheduleNextFireAt
SELECT MIN(next_fire_at) AS next_fire_at
FROM tm_schedule
WHERE NOT paused

-- name: scheduleLock
-- Keeps the schedule from being deleted before a manual trigger's run row is written; KEY SHARE
-- does not wait for a firing's update of the same row, which changes no key.
SELECT name
FROM tm_schedule
WHERE name = :name
FOR KEY SHARE

-- name: scheduleAdvance
-- The version guard makes concurrent firings of one schedule (two leaders, or a change racing
-- the leader) apply at most once: the later writer waits for the row lock, re-reads the row
-- (READ COMMITTED) and matches nothing.
UPDATE tm_schedule
SET next_fire_at = :nextFireAt,
    last_fire_at = COALESCE(CAST(:lastFireAt AS timestamptz), last_fire_at),
    last_job_id = COALESCE(CAST(:lastJobId AS uuid), last_job_id),
    version = version + 1
WHERE name = :name AND version = :expectedVersion

-- name: insertRun
-- A tick handled before inserts nothing (row count 0) and the firing is rolled back. A
-- concurrent inserter of the same tick waits on the unique index until the first commits.
INSERT INTO tm_schedule_run (schedule_name, fire_at, kind, outcome, job_id, note, recorded_at)
VALUES (:schedule, :fireAt, :kind, :outcome, :jobId, :note, :recordedAt)
ON CONFLICT (schedule_name, fire_at, kind) DO NOTHING

-- name: scheduleRuns
-- Newest first; a run's job state is read now, so it follows the job.
SELECT r.schedule_name, r.fire_at, r.outcome, r.job_id, j.state AS job_state, r.note,
       r.recorded_at
FROM tm_schedule_run r
LEFT JOIN tm_job j ON j.id = r.job_id
WHERE r.schedule_name = :schedule
ORDER BY r.fire_at DESC, r.recorded_at DESC, r.seq DESC
LIMIT :limit

-- name: scheduleRunPrune
-- Runs that never had a job (skipped, missed), through tm_schedule_run_unlinked_idx; fired runs
-- go with their job.
DELETE FROM tm_schedule_run
WHERE seq IN (SELECT seq
              FROM tm_schedule_run
              WHERE job_id IS NULL AND fire_at < :before
              ORDER BY fire_at
              LIMIT :limit)
