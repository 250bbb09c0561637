package io.taskmill.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * A database dialect: where its queries and migrations live and the few behaviours the Java side
 * must know about. Adding PostgreSQL means a constant here, {@code postgres/*.sql} with the same
 * query names, and {@code db/migration/postgres}.
 */
enum Dialect {
  H2("h2", true);

  /** Query files every dialect provides, one per table family. */
  static final List<String> SQL_FILES = List.of("jobs", "job_history", "queues");

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
    };
  }

  /** True when {@code e} is a unique-constraint violation (SQLState 23505 in both dialects). */
  boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /**
   * True when {@code e} means the database itself is gone or closed, beyond the standard
   * connection-failure class 08.
   */
  boolean isDatabaseGone(SQLException e) {
    return switch (this) {
      // 90098 database is closed, 90121 called at shutdown, 90067 connection broken,
      // 90007 object already closed (a connection whose database was shut down).
      case H2 -> switch (e.getErrorCode()) {
        case 90098, 90121, 90067, 90007 -> true;
        default -> false;
      };
    };
  }

  /** True when opening failed because another process holds the database file's lock. */
  boolean isFileLocked(SQLException e) {
    return switch (this) {
      case H2 -> e.getErrorCode() == 90020; // DATABASE_ALREADY_OPEN_1, raised for a locked file
    };
  }
}
