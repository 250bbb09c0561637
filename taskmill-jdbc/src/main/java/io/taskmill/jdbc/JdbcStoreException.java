package io.taskmill.jdbc;

/**
 * A JDBC store operation or open failed for a reason other than an unreachable database; the
 * message names the operation or what to do.
 */
public class JdbcStoreException extends RuntimeException {
  public JdbcStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
