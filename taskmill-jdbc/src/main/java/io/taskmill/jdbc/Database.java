package io.taskmill.jdbc;

import io.taskmill.spi.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The pool of one store and the single way to use it: one transaction per call, with failures
 * translated into the exceptions the Store SPI promises.
 *
 * <p>Durability on an embedded H2 file: a commit only marks the change committed in H2's MVStore,
 * which writes it to the file up to WRITE_DELAY (500 ms) later, so a kill -9 inside that window
 * loses acknowledged jobs. WRITE_DELAY=0 closes the window but also stops the MVStore background
 * thread, the only place H2 2.5 compacts its file: with a chunk written per commit the file then
 * grows without bound (measured: 1 GB in two minutes at ~90 small transactions/s, 5 GB in 90 s flat
 * out). So writes run {@code CHECKPOINT} after committing instead: it makes the MVStore write every
 * committed change to the file before the call returns, while the background thread keeps
 * compacting. Nothing is fsynced, so data survives a killed JVM, not a power cut; H2's 45 s
 * retention of old chunks is kept because Linux may hold dirty pages for 30 s.
 */
final class Database implements AutoCloseable {
  /**
   * Deadlock victims (and PostgreSQL serialization failures) are retried; the transaction was
   * rolled back, so a rerun is safe.
   */
  private static final int MAX_TRIES = 3;

  private final Pool dataSource;
  private final Pool reserved;
  private final Dialect dialect;
  private final String description;
  private final boolean checkpointAfterWrite;
  private volatile boolean closed;

  /** Work inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * @param reserved a small pool only for the operations that keep a node alive ({@link
   *     #reservedWrite})
   */
  Database(
      Pool dataSource,
      Pool reserved,
      Dialect dialect,
      String description,
      boolean checkpointAfterWrite) {
    this.dataSource = dataSource;
    this.reserved = reserved;
    this.dialect = dialect;
    this.description = description;
    this.checkpointAfterWrite = checkpointAfterWrite;
  }

  Dialect dialect() {
    return dialect;
  }

  /** The main pool (not the reserved one), for tests that starve it or check it for leaks. */
  Pool mainPool() {
    return dataSource;
  }

  /** Runs {@code work} that only reads, in one transaction. */
  <T> T read(String operation, Work<T> work) {
    return inTransaction(dataSource, operation, false, work);
  }

  /**
   * As {@link #write}, on the reserved pool: for heartbeats, leadership and renewals, which must
   * not queue behind a busy main pool.
   */
  <T> T reservedWrite(String operation, Work<T> work) {
    return inTransaction(reserved, operation, checkpointAfterWrite, work);
  }

  /** As {@link #read}, on the reserved pool. */
  <T> T reservedRead(String operation, Work<T> work) {
    return inTransaction(reserved, operation, false, work);
  }

  /**
   * Runs {@code work} that may write, in one transaction; when this returns, the change is in the
   * database file (not just committed in memory).
   */
  <T> T write(String operation, Work<T> work) {
    return inTransaction(dataSource, operation, checkpointAfterWrite, work);
  }

  private <T> T inTransaction(Pool pool, String operation, boolean checkpoint, Work<T> work) {
    for (int tries = 1; ; tries++) {
      if (closed) {
        throw new StoreUnavailableException(
            operation + ": the store on " + description + " is closed", null);
      }
      boolean committed = false;
      long generation = pool.generation();
      try (Connection c = pool.connection()) {
        try {
          T result = work.run(c);
          c.commit();
          committed = true;
          if (checkpoint) {
            try (var s = c.createStatement()) {
              s.execute(dialect.writeCommittedStatement());
            }
          }
          return result;
        } catch (SQLException | RuntimeException e) {
          if (!committed) {
            rollbackQuietly(c, e);
          }
          throw e;
        }
      } catch (SQLException e) {
        // Only a rolled-back transaction may run again; a committed one must not apply twice.
        if (!committed && isRetryable(e) && tries < MAX_TRIES) {
          continue;
        }
        RuntimeException failure = translate(operation, e);
        if (failure instanceof StoreUnavailableException) {
          pool.databaseUnavailable(e, generation); // a connection that broke mid-transaction, say
        }
        throw failure;
      }
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** A deadlock victim or serialization failure, here or as the cause of a failed batch. */
  private boolean isRetryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && dialect.isRetryable(s)) {
        return true;
      }
    }
    for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
      if (dialect.isRetryable(next)) {
        return true;
      }
    }
    return false;
  }

  /** Maps a failure to {@link StoreUnavailableException} when the database is unreachable. */
  RuntimeException translate(String operation, SQLException e) {
    if (closed || isUnavailable(e)) {
      String what = closed ? "is closed" : "is unavailable";
      return new StoreUnavailableException(
          operation + ": the database " + description + " " + what + ": " + firstLine(e), e);
    }
    return new JdbcStoreException(operation + " failed on " + description + ": " + firstLine(e), e);
  }

  private boolean isUnavailable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true; // includes Hikari's "connection is not available, request timed out"
      }
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ((state != null && state.startsWith("08")) || dialect.isDatabaseGone(s)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first line of an exception's message: H2 appends the whole statement after it. */
  static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public void close() {
    closed = true;
    dataSource.close();
    reserved.close();
  }
}
