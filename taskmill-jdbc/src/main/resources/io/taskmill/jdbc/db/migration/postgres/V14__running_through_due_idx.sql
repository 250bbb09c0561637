-- Nothing for PostgreSQL: H2's V14 drops tm_job_lease_idx, which on H2 moved with every change of
-- state. PostgreSQL's is partial (WHERE state = 'RUNNING'), so only running jobs' rows are in it.
SELECT 1;
