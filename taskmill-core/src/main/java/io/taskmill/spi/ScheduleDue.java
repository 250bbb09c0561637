package io.taskmill.spi;

import io.taskmill.job.JobState;
import io.taskmill.schedule.Schedule;

/**
 * A schedule whose next tick is due, with what its overlap policy needs to know.
 *
 * @param lastJobState the state of the job of its latest fired tick, or null when there is none or
 *     it was pruned (either way, nothing of it runs)
 */
public record ScheduleDue(Schedule schedule, JobState lastJobState) {}
