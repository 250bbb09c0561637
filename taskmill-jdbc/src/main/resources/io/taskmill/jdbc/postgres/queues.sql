-- Queries on tm_queue for PostgreSQL.

-- name: setPaused
INSERT INTO tm_queue (name, paused)
VALUES (:name, :paused)
ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused

-- name: pausedNames
SELECT name
FROM tm_queue
WHERE paused = TRUE
ORDER BY name
