package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.spi.StoreInfo;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.TxWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link Store} on JDBC: every method is one transaction on a pooled connection; the SQL lives
 * in the dialect's {@code .sql} files. Open it with {@link JdbcStoreProvider}.
 */
public final class JdbcStore implements Store {
  private final Database db;
  private final StoreInfo info;
  private final Runnable onClose;
  private final JdbcJobs jobs;
  private final JdbcJobHistory history;
  private final JdbcQueues queues;
  private final JdbcCluster cluster;
  private final JdbcLocks locks;
  private final JdbcLimits limits;
  private final JdbcSchedules schedules;
  private final JdbcApiKeys apiKeys;
  private final JdbcAudit audit;
  private final JdbcFeed feed;
  private final JobInserter inserter;
  private final JdbcTx.Tables tables;
  private final ReentrantLock claimLock = new ReentrantLock();

  /** Opens a push subscription ({@link #jobSubscribe}), or null where the database has none. */
  private final Function<Consumer<String>, AutoCloseable> subscriber;

  /** What this store's ready-jobs notifications start with, so its own listener skips them. */
  private final String notifyPrefix;

  /** Subscriptions still open, closed with the store if their owner did not close them. */
  private final Set<AutoCloseable> subscriptions = ConcurrentHashMap.newKeySet();

  private final JdbcTx.ReadyNotifier notifier = this::notifyReadyQueues;

  JdbcStore(
      Database db,
      StoreInfo info,
      Runnable onClose,
      Function<Consumer<String>, AutoCloseable> subscriber,
      String origin) {
    this.notifyPrefix = PgListener.payloadPrefix(origin);
    this.db = db;
    this.info = info;
    this.onClose = onClose;
    this.subscriber = subscriber;
    Dialect dialect = db.dialect();
    var files = new HashMap<String, SqlFile>();
    for (String family : Dialect.SQL_FILES) {
      files.put(family, SqlFile.load(dialect, family));
    }
    this.jobs = new JdbcJobs(files.get("jobs"), dialect);
    this.history = new JdbcJobHistory(files.get("job_history"), dialect);
    this.queues = new JdbcQueues(files.get("queues"));
    this.cluster = new JdbcCluster(files.get("cluster"));
    this.locks = new JdbcLocks(files.get("locks"), dialect);
    this.limits = new JdbcLimits(files.get("limits"));
    this.schedules = new JdbcSchedules(files.get("schedules"), dialect);
    this.apiKeys = new JdbcApiKeys(files.get("api_keys"), dialect);
    this.audit = new JdbcAudit(files.get("audit"));
    this.feed = new JdbcFeed(files.get("feed"));
    this.inserter = new JobInserter(jobs, feed, dialect);
    this.tables =
        new JdbcTx.Tables(
            new OpStatements(dialect, List.copyOf(files.values())),
            jobs,
            history,
            cluster,
            limits,
            schedules,
            feed,
            audit,
            queues,
            locks,
            apiKeys,
            inserter);
  }

  @Override
  public StoreInfo info() {
    return info;
  }

  @Override
  public <T> T read(StoreOp op, TxWork<T> work) {
    return db.read(op.name(), bound(work));
  }

  @Override
  public <T> T inTransaction(StoreOp op, TxWork<T> work) {
    // H2 locks every row its candidate read matches, so its claims take turns in this process.
    boolean serialize = op == StoreOp.CLAIM && db.dialect().serializesClaims();
    if (serialize) {
      claimLock.lock();
    }
    try {
      return db.write(op.name(), bound(work));
    } finally {
      if (serialize) {
        claimLock.unlock();
      }
    }
  }

  @Override
  public <T> T keepAlive(StoreOp op, TxWork<T> work) {
    return db.reservedWrite(op.name(), bound(work));
  }

  @Override
  public Instant storeTime() {
    return db.reservedRead("storeTime", cluster::storeTime);
  }

  /**
   * The engine's work on a transaction of this store's tables; a statement's failure leaves it as
   * the SQLException that the retry and translation of {@link Database} judge.
   */
  private <T> Database.Work<T> bound(TxWork<T> work) {
    return c -> {
      try {
        return work.run(new JdbcTx(c, tables, notifier));
      } catch (JdbcTx.Failure f) {
        throw f.getCause();
      }
    };
  }

  /**
   * Tells listening processes, on commit of {@code c}'s transaction, that these queues have ready
   * jobs: one notification per queue, where the dialect has them ({@link PgListener}).
   */
  private void notifyReadyQueues(Connection c, Collection<String> queues) throws SQLException {
    if (subscriber == null || queues.isEmpty()) {
      return;
    }
    try (var ps = c.prepareStatement(PgListener.NOTIFY_QUEUES)) {
      ps.setString(1, notifyPrefix);
      ps.setArray(2, c.createArrayOf("text", queues.toArray(String[]::new)));
      ps.executeQuery().close();
    }
  }

  @Override
  public AutoCloseable jobSubscribe(Consumer<String> queueReady) {
    if (subscriber == null) {
      return Store.super.jobSubscribe(queueReady);
    }
    AutoCloseable subscription = subscriber.apply(queueReady);
    subscriptions.add(subscription);
    return () -> {
      if (subscriptions.remove(subscription)) {
        subscription.close();
      }
    };
  }

  /** The main connection pool, for tests that starve it or check it for leaks. */
  Pool mainPool() {
    return db.mainPool();
  }

  @Override
  public void close() {
    for (AutoCloseable subscription : subscriptions) {
      try {
        subscription.close();
      } catch (Exception ignored) {
        // PgListener.close does not throw
      }
    }
    subscriptions.clear();
    try {
      db.close();
    } finally {
      onClose.run();
    }
  }

  @Override
  public String toString() {
    return "JdbcStore[" + info.name() + " " + info.description() + "]";
  }
}
