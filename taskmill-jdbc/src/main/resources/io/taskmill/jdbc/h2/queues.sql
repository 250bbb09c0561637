-- Queries on tm_queue for H2.

-- name: setPaused
MERGE INTO tm_queue (name, paused)
KEY (name)
VALUES (:name, :paused)

-- name: pausedNames
SELECT name
FROM tm_queue
WHERE paused = TRUE
ORDER BY name
