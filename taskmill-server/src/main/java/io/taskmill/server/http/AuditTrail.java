package io.taskmill.server.http;

/** Where the server records each request that changes something, whatever its outcome. */
@FunctionalInterface
public interface AuditTrail {
  /**
   * @param outcome {@code "ok"}, or the HTTP status of a refusal ({@code "403"})
   */
  void record(
      Principal who,
      String action,
      String resource,
      String outcome,
      String remoteAddress,
      String requestId,
      String detail);
}
