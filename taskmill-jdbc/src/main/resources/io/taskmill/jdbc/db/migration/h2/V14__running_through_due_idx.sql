-- tm_job_lease_idx (state, lease_expires_at, id) moved with every claim and every completion, as
-- every H2 index does (none has a WHERE clause), and with every insert. What it served reads
-- RUNNING jobs only: expiredLeases, foreignLeases, endLeasesOf and limitUsage. tm_job_due_idx
-- (state, run_at, id) serves the same prefix, state = 'RUNNING', and running jobs on one embedded
-- node are at most its concurrency, so those reads scan a short range and filter it.
DROP INDEX tm_job_lease_idx;
