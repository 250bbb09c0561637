package io.taskmill.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * A database dialect: where its queries and migrations live and the few behaviours the Java side
 * must know about. Each dialect has {@code <dir>/*.sql} with the same query names and {@code
 * db/migration/<dir>} with the same migration versions ({@code DialectQueriesTest}).
 */
enum Dialect {
  H2("h2", true),
  /**
   * PostgreSQL: claims lock their candidates with {@code FOR UPDATE SKIP LOCKED}, so nodes claim
   * concurrently; keyed inserts use {@code ON CONFLICT (idempotency_key) DO NOTHING}, because any
   * error aborts a PostgreSQL transaction and the store could not go on to read the winner.
   */
  POSTGRES("postgres", false);

  /** Query files every dialect provides, one per table family. */
  static final List<String> SQL_FILES =
      List.of(
          "jobs",
          "job_history",
          "queues",
          "cluster",
          "locks",
          "limits",
          "schedules",
          "api_keys",
          "audit",
          "feed",
          "workflows");

  private final String dir;
  private final boolean serializesClaims;

  Dialect(String dir, boolean serializesClaims) {
    this.dir = dir;
    this.serializesClaims = serializesClaims;
  }

  /** The directory name used under {@code io/taskmill/jdbc/} and {@code db/migration/}. */
  String dir() {
    return dir;
  }

  /** Classpath resource of one query file. */
  String sqlResource(String family) {
    return "io/taskmill/jdbc/" + dir + "/" + family + ".sql";
  }

  /** Flyway location of this dialect's migrations. */
  String migrationLocation() {
    return "classpath:io/taskmill/jdbc/db/migration/" + dir;
  }

  /**
   * Whether claims must be serialized inside the process. H2's {@code SKIP LOCKED} returns empty
   * claims while ready rows remain under contention, so H2 claims take a lock in the store.
   */
  boolean serializesClaims() {
    return serializesClaims;
  }

  /**
   * A statement that writes every committed change to the database file before it returns, for
   * databases whose commit alone does not (see {@link Database}).
   */
  String writeCommittedStatement() {
    return switch (this) {
      case H2 -> "CHECKPOINT";
      case POSTGRES ->
          throw new UnsupportedOperationException(
              "PostgreSQL makes a commit durable itself; nothing to run after it");
    };
  }

  /**
   * True when {@code insertJob} skips a row whose idempotency key is taken (it returns 0) instead
   * of failing, so a unique violation from it is always some other constraint (the job id).
   */
  boolean insertSkipsTakenKeys() {
    return this == POSTGRES;
  }

  /**
   * True when {@code e} means the transaction was rolled back by the database to resolve a conflict
   * (a deadlock or a serialization failure), so running it again is safe. H2 reports its deadlocks
   * as 40001; PostgreSQL uses 40P01 for deadlocks and 40001 for serialization failures.
   */
  boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return switch (this) {
      case H2 -> "40001".equals(state);
      case POSTGRES -> "40001".equals(state) || "40P01".equals(state);
    };
  }

  /** True when {@code e} is a unique-constraint violation (SQLState 23505 in both dialects). */
  boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /**
   * Whether {@code e}, or an exception it wraps or chains, says an embedded H2 database was closed
   * (90098 database is closed, 90121 called at shutdown): it stays so until it is opened again.
   */
  static boolean isEmbeddedDatabaseClosed(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && (s.getErrorCode() == 90098 || s.getErrorCode() == 90121)) {
        return true;
      }
    }
    for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
      if (next.getErrorCode() == 90098 || next.getErrorCode() == 90121) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when {@code e} means the database itself is gone or closed, beyond the standard
   * connection-failure class 08.
   */
  boolean isDatabaseGone(SQLException e) {
    return switch (this) {
      // 90098 database is closed, 90121 called at shutdown, 90067 connection broken,
      // 90007 object already closed (a connection whose database was shut down).
      case H2 ->
          switch (e.getErrorCode()) {
            case 90098, 90121, 90067, 90007 -> true;
            default -> false;
          };
      // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up or in
      // recovery), 53300 too many connections. A dropped or closed connection is 08xxx.
      case POSTGRES -> {
        String state = e.getSQLState();
        yield state != null
            && switch (state) {
              case "57P01", "57P02", "57P03", "53300" -> true;
              default -> false;
            };
      }
    };
  }

  /** True when opening failed because another process holds the database file's lock. */
  boolean isFileLocked(SQLException e) {
    return switch (this) {
      case H2 -> e.getErrorCode() == 90020; // DATABASE_ALREADY_OPEN_1, raised for a locked file
      case POSTGRES -> false; // a server database has no file lock
    };
  }
}
