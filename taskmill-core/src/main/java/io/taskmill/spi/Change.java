package io.taskmill.spi;

/**
 * A write to the tables, as data: the store runs the statement its SQL files name like the record
 * type, binds the record's components to the statement's parameters by name, and answers the row
 * count. A guarded single-row write changed its row when the count is 1; what that means is the
 * engine's business. The operations are the records of {@link Ops}.
 */
public interface Change {}
