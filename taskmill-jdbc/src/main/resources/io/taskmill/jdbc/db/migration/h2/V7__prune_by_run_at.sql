-- tm_job_finished_idx cost every enqueue, claim and completion on H2, where an index has no
-- WHERE clause and so moves with each change of state: the bench drained 20% fewer jobs with it.
-- pruneJobs now reads the oldest rows of a state through tm_job_due_idx (state, run_at, id);
-- a job finishes after its run_at, so every job finished before the cutoff is in that range.
DROP INDEX tm_job_finished_idx;
