-- Nothing for PostgreSQL: H2's V15 removes the extra index H2 had made for each history table's
-- foreign key. PostgreSQL makes no index for a foreign key; its (job_id, seq) indexes stay.
SELECT 1;
