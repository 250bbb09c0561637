-- When the latest attempt started: set by every claim, cleared by a manual retry. Nullable with no
-- default, so adding it rewrites no rows; no index, since nothing hot reads it and every claim
-- would pay to move one (drain throughput is a measured goal).
ALTER TABLE tm_job ADD COLUMN started_at timestamptz;
