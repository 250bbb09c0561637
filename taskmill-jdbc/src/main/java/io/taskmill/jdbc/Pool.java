package io.taskmill.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection pool that is reopened as soon as its database is back after an outage.
 *
 * <p>HikariCP (7.1) retries a failed connection with a backoff that doubles up to a fixed 5 s and
 * cannot be shortened, so after an outage of more than a few seconds an emptied pool may wait up
 * to 5 s more before it connects, and every caller waits with it. RELIABILITY R4/R5 ask for
 * processing to resume within 5 s of the database's return. So once a caller meets the outage, a
 * probe tries a plain connection of its own every {@link #PROBE_EVERY}, and when one succeeds
 * while the pool still holds no connection, the pool is replaced by a fresh one. The old pool is
 * closed in the background: its connections died with the outage anyway.
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
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile HikariDataSource current;
  private volatile boolean closed;

  private Pool(String name, HikariDataSource first, Supplier<HikariDataSource> factory,
      Probe probe) {
    this.name = name;
    this.current = first;
    this.factory = factory;
    this.probe = probe;
  }

  /** A pool that is never replaced: for an embedded database, which cannot go away. */
  static Pool fixed(HikariDataSource dataSource) {
    return new Pool(dataSource.getPoolName(), dataSource, null, null);
  }

  /** A pool of a networked database, reopened by {@code factory} when {@code probe} succeeds. */
  static Pool reopening(Supplier<HikariDataSource> factory, Probe probe) {
    HikariDataSource first = factory.get();
    return new Pool(first.getPoolName(), first, factory, probe);
  }

  Connection connection() throws SQLException {
    try {
      return current.getConnection();
    } catch (SQLException e) {
      if (!closed) {
        databaseUnavailable();
      }
      throw e;
    }
  }

  /**
   * Called when a caller met an outage (no connection, or one that broke): starts the probe unless
   * it runs already. Does nothing for a fixed pool.
   */
  void databaseUnavailable() {
    if (factory == null || closed || !probing.compareAndSet(false, true)) {
      return;
    }
    Thread.ofPlatform().daemon().name(name + "-probe").start(() -> {
      try {
        probeUntilBack();
      } finally {
        probing.set(false);
      }
    });
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

  private void reopen(HikariDataSource stale) {
    HikariDataSource fresh;
    try {
      fresh = factory.get();
    } catch (RuntimeException e) {
      log.debug("reopening pool {} failed; the next caller to meet the outage probes again", name,
          e);
      return;
    }
    synchronized (this) {
      if (closed) {
        fresh.close();
        return;
      }
      current = fresh;
    }
    log.info("the database is reachable again; reopened connection pool {}", name);
    Thread.ofPlatform().daemon().name(name + "-close").start(stale::close);
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
