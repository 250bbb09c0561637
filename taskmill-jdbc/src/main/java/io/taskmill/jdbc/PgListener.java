package io.taskmill.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN taskmill_ready} on a dedicated connection (outside the pool, which would hand it to
 * other work and reset it), passing each notification's queue name on from a daemon thread. A lost
 * connection is reopened with backoff; notifications sent while it was down are lost, and polling
 * finds those jobs.
 */
final class PgListener implements AutoCloseable {
  /** The channel {@code JdbcStore} notifies when a transaction makes jobs ready. */
  static final String CHANNEL = "taskmill_ready";

  /** The listener connection's application_name, so it can be told apart in pg_stat_activity. */
  static final String APPLICATION_NAME = "taskmill-listen";

  /**
   * Notifies once per distinct queue in the {@code text[]} second parameter, each payload the
   * sending store's origin (the first parameter, {@link #payloadPrefix}) and the queue. Delivered
   * on commit, and PostgreSQL folds identical notifications of one transaction into one.
   */
  static final String NOTIFY_QUEUES =
      "SELECT pg_notify('" + CHANNEL + "', ? || q) FROM unnest(CAST(? AS text[])) AS q";

  /** An origin is a UUID's 36 characters; then this, then the queue. */
  private static final char ORIGIN_END = ':';

  private static final Logger log = LoggerFactory.getLogger(PgListener.class);
  private static final int RECEIVE_TIMEOUT_MS = 500;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** At most one warning per this period while the connection keeps failing. */
  private static final Duration WARN_EVERY = Duration.ofMinutes(1);

  private final String url;
  private final Properties props;
  private final String description;
  private final Consumer<String> queueReady;
  private final String origin;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection conn;
  private long lastWarnNanos;
  private boolean warned;

  private PgListener(
      String url,
      String user,
      String password,
      String description,
      String origin,
      Consumer<String> queueReady) {
    this.origin = origin;
    this.url = url;
    this.props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", APPLICATION_NAME);
    this.description = description;
    this.queueReady = queueReady;
    this.thread = Thread.ofPlatform().name("taskmill-listen").daemon().unstarted(this::run);
  }

  /**
   * Starts listening. The first connection is opened before this returns, so jobs made ready after
   * it are announced; if it fails, the thread keeps trying.
   */
  static PgListener start(
      String url,
      String user,
      String password,
      String description,
      String origin,
      Consumer<String> queueReady) {
    var listener = new PgListener(url, user, password, description, origin, queueReady);
    try {
      listener.conn = listener.connect();
    } catch (SQLException e) {
      listener.warn(e);
    }
    listener.thread.start();
    return listener;
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url, props);
    try (var st = c.createStatement()) {
      c.setAutoCommit(true);
      st.execute("LISTEN " + CHANNEL);
      return c;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      try {
        Connection c = conn;
        if (c == null) {
          c = connect();
          conn = c;
          if (closed) {
            break;
          }
          if (warned) {
            log.info("listening for ready jobs on {} again", description);
            warned = false;
          }
        }
        PGNotification[] received =
            c.unwrap(PGConnection.class).getNotifications(RECEIVE_TIMEOUT_MS);
        backoff = FIRST_BACKOFF;
        if (received != null) {
          for (PGNotification n : received) {
            String queue = queueOf(n.getParameter(), origin);
            if (queue != null) {
              deliver(queue);
            }
          }
        }
      } catch (SQLException e) {
        if (closed) {
          break;
        }
        warn(e);
        Connection c = conn;
        conn = null;
        closeQuietly(c);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          break; // only close() interrupts
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
    closeQuietly(conn);
    conn = null;
  }

  /** What a store that identifies itself as {@code origin} sends before each queue's name. */
  static String payloadPrefix(String origin) {
    return origin + ORIGIN_END;
  }

  /**
   * The queue a payload names, or null when the store {@code self} sent it: the engine that made
   * those jobs ready woke its own dispatcher already, and a second wake-up cost it an empty claim
   * (two claims per same-node pickup in the bench). A payload without an origin (a node of an older
   * version) is all queue name.
   */
  static String queueOf(String payload, String self) {
    if (payload.length() > 37 && payload.charAt(36) == ORIGIN_END) {
      return payload.startsWith(self) ? null : payload.substring(37);
    }
    return payload;
  }

  private void deliver(String queue) {
    try {
      queueReady.accept(queue);
    } catch (RuntimeException e) {
      log.warn("handling a ready-jobs notification for queue '{}' failed", queue, e);
    }
  }

  private void warn(SQLException e) {
    long now = System.nanoTime();
    if (!warned || now - lastWarnNanos >= WARN_EVERY.toNanos()) {
      log.warn(
          "listening for ready jobs on {} failed ({}); reconnecting, other nodes' jobs are "
              + "found by polling meanwhile",
          description,
          Database.firstLine(e));
      lastWarnNanos = now;
    }
    warned = true;
  }

  /** Stops the thread and closes the connection. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(conn); // ends a wait for notifications at once instead of at its timeout
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(conn);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // the connection is being discarded
    }
  }
}
