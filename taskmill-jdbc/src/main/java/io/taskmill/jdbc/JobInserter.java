package io.taskmill.jdbc;

import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.NewJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inserts jobs inside the caller's transaction: keyless jobs together (the hot path: one JDBC batch
 * on H2, one set-based statement on PostgreSQL), jobs with an idempotency key one at a time so the
 * unique constraint can decide each one. The jobs created are recorded for the event feed in the
 * same transaction, in one outbox row per batch.
 */
final class JobInserter {
  private final JdbcJobs jobs;
  private final JdbcFeed feed;
  private final Dialect dialect;

  JobInserter(JdbcJobs jobs, JdbcFeed feed, Dialect dialect) {
    this.jobs = jobs;
    this.feed = feed;
    this.dialect = dialect;
  }

  List<InsertedJob> insertMany(Connection c, List<NewJob> newJobs, String node)
      throws SQLException {
    var results = new ArrayList<InsertedJob>(newJobs.size());
    var keyless = new ArrayList<NewJob>();
    for (NewJob job : newJobs) {
      if (job.idempotencyKey() == null) {
        keyless.add(job);
        results.add(created(job));
      } else {
        // Flushed first so rows and events keep the caller's order.
        flush(c, keyless, node);
        results.add(insertKeyed(c, job, node));
      }
    }
    flush(c, keyless, node);
    var created = new ArrayList<NewJob>(newJobs.size());
    for (int i = 0; i < newJobs.size(); i++) {
      if (results.get(i).created()) {
        created.add(newJobs.get(i));
      }
    }
    feed.recordCreated(c, created, node);
    return results;
  }

  private void flush(Connection c, List<NewJob> keyless, String node) throws SQLException {
    if (keyless.isEmpty()) {
      return;
    }
    jobs.insertAll(c, keyless, node);
    keyless.clear();
  }

  /**
   * Inserts a keyed job, or returns the job that already holds its key. The constraint decides: a
   * concurrent inserter of the same key blocks on the unique index until the first commits, then
   * sees the violation and reads the committed winner; a duplicate earlier in this batch is found
   * the same way, since the transaction sees its own rows. On PostgreSQL the insert's {@code ON
   * CONFLICT DO NOTHING} waits the same way and inserts 0 rows instead of failing.
   */
  private InsertedJob insertKeyed(Connection c, NewJob job, String node) throws SQLException {
    try {
      if (jobs.insert(c, job, node) == 1) {
        return created(job);
      }
    } catch (SQLException e) {
      // Where the insert skips taken keys, a violation is another constraint (the job id), and
      // PostgreSQL has aborted the transaction anyway, so nothing more may run in it.
      if (!dialect.isUniqueViolation(e) || dialect.insertSkipsTakenKeys()) {
        throw e;
      }
      Optional<InsertedJob> existing = jobs.findByIdempotencyKey(c, job.idempotencyKey());
      if (existing.isPresent()) {
        return existing.get();
      }
      throw e; // another unique constraint: the job id itself is taken
    }
    // A dialect that skips duplicates silently (ON CONFLICT DO NOTHING) lands here.
    return jobs.findByIdempotencyKey(c, job.idempotencyKey())
        .orElseThrow(
            () ->
                new SQLException(
                    "job " + job.id() + " was neither inserted nor found by its idempotency key"));
  }

  private static InsertedJob created(NewJob job) {
    return new InsertedJob(job.id(), true, job.state(), NamedSql.micros(job.runAt()));
  }
}
