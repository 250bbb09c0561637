package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.schedule.ScheduleRun;
import java.time.Instant;

/**
 * One handled tick of a schedule as its run row records it; the row's unique key {@code (schedule,
 * fireAt, kind)} is what keeps a tick from ever creating two jobs.
 *
 * @param jobId the job the tick created, or null when it created none
 * @param note why the tick was skipped or missed, or null
 */
public record RunRecord(Instant fireAt, ScheduleRun.Outcome outcome, JobId jobId, String note) {}
