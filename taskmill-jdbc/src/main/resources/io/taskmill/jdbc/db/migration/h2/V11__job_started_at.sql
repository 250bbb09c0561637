-- When the latest attempt started: set by every claim, cleared by a manual retry. No index, since
-- nothing hot reads it and every claim would pay to move one (drain throughput is a measured goal).
ALTER TABLE tm_job ADD COLUMN started_at TIMESTAMP(6) WITH TIME ZONE;
