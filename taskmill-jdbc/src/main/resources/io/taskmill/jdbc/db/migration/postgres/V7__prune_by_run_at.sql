-- Nothing changes on PostgreSQL: its tm_job_finished_idx is partial (finished rows only), so it
-- costs one entry per finished job, and pruning needs it. H2's V7 drops its full-table twin.
-- The version exists on both dialects so schema versions mean the same on each.
SELECT 1;
