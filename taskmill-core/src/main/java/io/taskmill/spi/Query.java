package io.taskmill.spi;

/**
 * A read of the tables, as data: the store runs the statement its SQL files name like the record
 * type ({@code ScheduleGet} runs {@code scheduleGet}), binds the record's components to the
 * statement's parameters by name, and maps each row to one {@code R}. The operations are the
 * records of {@link Ops}.
 *
 * @param <R> what one row maps to
 */
public interface Query<R> {}
