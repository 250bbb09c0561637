package io.taskmill.job;

/**
 * What one {@code Jobs.cancelAll} or {@code Jobs.retryAll} call did to one page of the jobs a query
 * matches.
 *
 * @param examined how many jobs matched the query in this page (at most its {@code limit})
 * @param changed how many of them this call changed
 * @param next the cursor for the next page ({@code before} of the next query): the oldest job
 *     examined, or null when this page was not full and so was the last
 */
public record BulkResult(int examined, int changed, JobId next) {
  public BulkResult {
    if (examined < 0 || changed < 0 || changed > examined) {
      throw new IllegalArgumentException(
          "changed must be between 0 and examined, got " + changed + " of " + examined);
    }
  }

  /** Whether more jobs may match after this page. */
  public boolean hasNext() {
    return next != null;
  }
}
