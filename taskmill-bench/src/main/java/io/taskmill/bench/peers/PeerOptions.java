package io.taskmill.bench.peers;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of {@code --peers} beyond those the bench shares with it, mixed into the bench's
 * command so its own class only gains the {@code --peers} switch.
 */
public final class PeerOptions {
  /** JobRunr's pickup samples unless {@code --peer-samples} says otherwise. */
  public static final int DEFAULT_POLLING_PEER_SAMPLES = 20;

  @Option(
      names = "--peer-jobs",
      paramLabel = "N",
      description =
          "With --peers: jobs each peer drains (default: --jobs, the same N as Taskmill's).")
  Integer peerJobs;

  @Option(
      names = "--peer-samples",
      paramLabel = "S",
      defaultValue = "" + DEFAULT_POLLING_PEER_SAMPLES,
      description =
          "With --peers: JobRunr's pickup samples; each waits for its poll (at least 5 s), so"
              + " fewer than --samples (default: ${DEFAULT-VALUE}). db-scheduler takes --samples.")
  int peerSamples;

  /** The jobs each peer drains: {@code --peer-jobs}, or Taskmill's {@code jobs}. */
  public int jobs(int taskmillJobs) {
    return peerJobs != null ? peerJobs : taskmillJobs;
  }

  /** JobRunr's pickup samples. */
  public int pollingPeerSamples() {
    return peerSamples;
  }

  /** Checks the values; called by the bench's validation when {@code --peers} is given. */
  public void validate(CommandLine cl) {
    if (peerJobs != null && (peerJobs < 1 || peerJobs > 10_000_000)) {
      throw new ParameterException(
          cl, "--peer-jobs must be between 1 and 10000000, was " + peerJobs);
    }
    if (peerSamples < 1 || peerSamples > 100_000) {
      throw new ParameterException(
          cl, "--peer-samples must be between 1 and 100000, was " + peerSamples);
    }
  }
}
