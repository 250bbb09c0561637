package io.taskmill.bench.peers;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * The no-op job JobRunr runs in the peers mode, as a {@link JobRequest} and its {@link
 * JobRequestHandler}: JobRunr's typed job form, stored as JSON with no lambda to analyse. Public
 * because JobRunr finds both classes by name and serializes the request with Jackson.
 */
public final class JobRunrJobs {
  private JobRunrJobs() {}

  /** What the handler reports to. */
  interface Sink {
    void ran(int sample);
  }

  /**
   * A no-op job.
   *
   * @param sample the pickup sample it is, or {@link PickupProbe#NOT_A_SAMPLE} for a drained job
   */
  public record NoopRequest(int sample) implements JobRequest {
    @Override
    public Class<NoopHandler> getJobRequestHandler() {
      return NoopHandler.class;
    }
  }

  /** Runs a {@link NoopRequest}: tells the bench it started, nothing else. */
  public static final class NoopHandler implements JobRequestHandler<NoopRequest> {
    private final Sink sink;

    NoopHandler(Sink sink) {
      this.sink = sink;
    }

    @Override
    public void run(NoopRequest request) {
      sink.ran(request.sample());
    }
  }
}
