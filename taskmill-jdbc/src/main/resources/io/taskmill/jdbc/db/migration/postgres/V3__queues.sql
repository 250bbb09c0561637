-- Queue switches shared by every node on this database; a queue without a row is running.
CREATE TABLE tm_queue (
    name   varchar(100) NOT NULL,
    paused boolean      NOT NULL,
    CONSTRAINT tm_queue_pk PRIMARY KEY (name)
);
