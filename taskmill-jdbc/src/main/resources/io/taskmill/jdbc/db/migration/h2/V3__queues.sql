-- Queue switches shared by every node on this database; a queue without a row is running.
CREATE TABLE tm_queue (
    name   VARCHAR(100) NOT NULL,
    paused BOOLEAN      NOT NULL,
    CONSTRAINT tm_queue_pk PRIMARY KEY (name)
);
