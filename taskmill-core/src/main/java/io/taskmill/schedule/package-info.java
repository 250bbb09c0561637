/**
 * The time logic of recurring schedules: {@link io.taskmill.schedule.CronExpression} (our own
 * parser and evaluator, with a documented daylight-saving policy) and the {@link
 * io.taskmill.schedule.Trigger}s built on it. Everything here is a pure function of instants and
 * time zones: no clock is read, nothing is stored. Firing schedules, misfires and overlap belong to
 * the engine. See {@code docs/schedules.md}.
 */
package io.taskmill.schedule;
