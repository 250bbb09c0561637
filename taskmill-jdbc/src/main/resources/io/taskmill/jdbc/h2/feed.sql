-- Queries on the event feed for H2: tm_job_event and tm_outbox, numbered by tm_feed_seq.

-- name: feedPage
-- Rows after :afterSeq from both tables in one statement, each side read by its primary key and
-- cut at :limit before the merge. A transition's job gives its type and queue; LEFT JOIN, so a
-- transition whose job is gone still reads (the cascade usually takes both).
SELECT f.*
FROM ((SELECT e.seq, e.at, CAST(NULL AS VARCHAR(64)) AS kind, CAST(NULL AS VARCHAR(1000000)) AS body,
              e.job_id, j.type, j.queue, e.from_state, e.to_state, e.node, e.attempt, e.error,
              e.message
       FROM tm_job_event AS e
       LEFT JOIN tm_job AS j ON j.id = e.job_id
       WHERE e.seq > :afterSeq
       ORDER BY e.seq
       LIMIT :limit)
      UNION ALL
      (SELECT o.seq, o.at, o.kind, o.body, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
       FROM tm_outbox AS o
       WHERE o.seq > :afterSeq
       ORDER BY o.seq
       LIMIT :limit)) AS f
ORDER BY f.seq
LIMIT :limit

-- name: headSeq
-- The highest committed seq of each table: one index lookup each.
SELECT COALESCE((SELECT MAX(seq) FROM tm_job_event), 0) AS events,
       COALESCE((SELECT MAX(seq) FROM tm_outbox), 0) AS outbox

-- name: readTime
-- H2 gives the transaction's start here, an instant before the rows' statement; the feed judges
-- gaps in seconds, so that does not matter.
SELECT CURRENT_TIMESTAMP(6) AS now

-- name: insertOutbox
INSERT INTO tm_outbox (at, kind, body)
VALUES (:at, :kind, :body)

-- name: outboxPrune
-- Looks at the :limit oldest rows by seq only (the primary key) and deletes those old enough, so
-- a prune never scans the table; rows are written in roughly time order, so that is all of them.
DELETE FROM tm_outbox
WHERE seq IN (SELECT oldest.seq
              FROM (SELECT seq, at FROM tm_outbox ORDER BY seq LIMIT :limit) AS oldest
              WHERE oldest.at < :before)
