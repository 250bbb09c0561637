package io.taskmill.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection pool that is reopened as soon as its database is back after an outage.
 *
 * <p>HikariCP (7.1) retries a failed connection with a backoff that doubles up to a fixed 5 s and
 * cannot be shortened, so after an outage of more than a few seconds an emptied pool may wait up to
 * 5 s more before it connects, and every caller waits with it. R4/R5 of docs/testing.md ask for
 * processing to resume within 5 s of the database's return. So once a caller meets the outage, a
 * probe tries a plain connection of its own every {@link #PROBE_EVERY}, and when one succeeds while
 * the pool still holds no connection, the pool is replaced by a fresh one. The old pool is closed
 * in the background: its connections died with the outage anyway.
 *
 * <p>An embedded H2 file cannot be away, but it can close under its pool: H2 closes the database
 * when its MVStore meets an internal error (a "panic"; seen with 2.5.252 while pruning a 2 GB
 * file), and every pooled connection then fails with "database is closed" for good, so the engine
 * stopped until its process was restarted. Such a pool ({@link #embeddedFile}) is replaced by a
 * fresh one as soon as a caller meets the closed database; opening it runs H2's recovery, which
 * goes back to the last chunk written in full, and every acknowledged write was (see {@link
 * Database}).
 */
final class Pool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pool.class);

  /** How often the probe knocks while the database is away: cheap, and well inside 5 s. */
  static final Duration PROBE_EVERY = Duration.ofMillis(250);

  /** Tries one connection outside the pool; throws if the database is not there. */
  @FunctionalInterface
  interface Probe {
    void connect() throws SQLException;
  }

  private final String name;
  private final Supplier<HikariDataSource> factory;
  private final Probe probe;

  /** For an embedded file: whether a failure says the database itself was closed. */
  private final Predicate<SQLException> databaseClosed;

  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile HikariDataSource current;

  /** How many times the pool was replaced: tells a failure of an old pool's connection. */
  private volatile long generation;

  private volatile boolean closed;

  private Pool(
      String name,
      HikariDataSource first,
      Supplier<HikariDataSource> factory,
      Probe probe,
      Predicate<SQLException> databaseClosed) {
    this.name = name;
    this.current = first;
    this.factory = factory;
    this.probe = probe;
    this.databaseClosed = databaseClosed;
  }

  /**
   * A pool that is never replaced: for an in-memory database, whose data a closed database takes
   * with it.
   */
  static Pool fixed(HikariDataSource dataSource) {
    return new Pool(dataSource.getPoolName(), dataSource, null, null, null);
  }

  /** A pool of a networked database, reopened by {@code factory} when {@code probe} succeeds. */
  static Pool reopening(Supplier<HikariDataSource> factory, Probe probe) {
    HikariDataSource first = factory.get();
    return new Pool(first.getPoolName(), first, factory, probe, null);
  }

  /**
   * A pool of an embedded database file, reopened by {@code factory} when a failure that {@code
   * databaseClosed} recognises shows its database closed under it.
   */
  static Pool embeddedFile(
      Supplier<HikariDataSource> factory, Predicate<SQLException> databaseClosed) {
    HikariDataSource first = factory.get();
    return new Pool(first.getPoolName(), first, factory, null, databaseClosed);
  }

  /** The pool's generation now: read before {@link #connection()}, given back with a failure. */
  long generation() {
    return generation;
  }

  Connection connection() throws SQLException {
    long borrowed = generation;
    try {
      return current.getConnection();
    } catch (SQLException e) {
      if (!closed) {
        databaseUnavailable(e, borrowed);
      }
      throw e;
    }
  }

  /**
   * Called when a caller met an outage ({@code failure}: no connection, or one that broke, on a
   * connection borrowed at generation {@code borrowed}): starts the probe, or for an embedded file
   * whose database closed the reopening, unless it runs already. Does nothing for a fixed pool.
   */
  void databaseUnavailable(SQLException failure, long borrowed) {
    if (factory == null || closed) {
      return;
    }
    boolean embedded = databaseClosed != null;
    if (embedded && (!databaseClosed.test(failure) || borrowed != generation)) {
      // A busy pool is not a closed database, and a connection of a pool already replaced
      // reports a closing that the fresh pool does not have.
      return;
    }
    if (!probing.compareAndSet(false, true)) {
      return;
    }
    Thread.ofPlatform()
        .daemon()
        .name(name + (embedded ? "-reopen" : "-probe"))
        .start(
            () -> {
              try {
                if (embedded) {
                  reopenWhileClosed();
                } else {
                  probeUntilBack();
                }
              } finally {
                probing.set(false);
              }
            });
  }

  /**
   * Replaces the pool of an embedded file whose database closed, trying again every {@link
   * #PROBE_EVERY} while opening it fails. The whole pool goes, not just the connections that
   * failed: HikariCP keeps a connection whose database closed (H2's codes are not SQLState 08), and
   * hands a recently used one out again unchecked.
   */
  private void reopenWhileClosed() {
    while (!closed) {
      if (reopen(current)) {
        return;
      }
      try {
        Thread.sleep(PROBE_EVERY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void probeUntilBack() {
    while (!closed) {
      try {
        Thread.sleep(PROBE_EVERY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      HikariDataSource pool = current;
      var mx = pool.getHikariPoolMXBean();
      if (mx != null && mx.getTotalConnections() > 0) {
        return; // the pool reconnected by itself, or never lost all its connections
      }
      try {
        probe.connect();
      } catch (SQLException e) {
        continue; // still away; the callers report it, the probe stays quiet
      }
      reopen(pool);
      return;
    }
  }

  /** Replaces {@code stale} by a fresh pool; false if the fresh one could not open. */
  private boolean reopen(HikariDataSource stale) {
    HikariDataSource fresh;
    try {
      fresh = factory.get();
    } catch (RuntimeException e) {
      log.debug(
          "reopening pool {} failed; the next caller to meet the outage probes again", name, e);
      return false;
    }
    synchronized (this) {
      if (closed) {
        fresh.close();
        return true;
      }
      current = fresh;
      generation++;
    }
    if (databaseClosed != null) {
      log.warn(
          "the embedded database closed under connection pool {} (H2 logged why); reopened" + " it",
          name);
    } else {
      log.info("the database is reachable again; reopened connection pool {}", name);
    }
    Thread.ofPlatform().daemon().name(name + "-close").start(stale::close);
    return true;
  }

  /** Active connections of the current pool, for tests and health checks. */
  int activeConnections() {
    var mx = current.getHikariPoolMXBean();
    return mx == null ? 0 : mx.getActiveConnections();
  }

  @Override
  public void close() {
    HikariDataSource last;
    synchronized (this) {
      closed = true;
      last = current;
    }
    last.close();
  }
}
