package io.taskmill.jdbc;

import io.taskmill.job.JobState;
import io.taskmill.spi.CreatedJobs;
import io.taskmill.spi.FeedPage;
import io.taskmill.spi.FeedRow;
import io.taskmill.spi.NewJob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event feed's tables, {@code tm_job_event} (read only; {@link JdbcJobHistory} writes it) and
 * {@code tm_outbox}: binds, runs and maps the queries of {@code feed.sql}.
 */
final class JdbcFeed {
  private final NamedSql feedPage;
  private final NamedSql headSeq;
  private final NamedSql readTime;
  private final NamedSql insertOutbox;

  JdbcFeed(SqlFile sql) {
    feedPage = sql.get("feedPage");
    headSeq = sql.get("headSeq");
    readTime = sql.get("readTime");
    insertOutbox = sql.get("insertOutbox");
  }

  /** Rows, then the head, then the clock: the clock is read after the rows' snapshot was taken. */
  FeedPage page(Connection c, long afterSeq, int limit) throws SQLException {
    List<FeedRow> rows =
        limit == 0
            ? List.of()
            : feedPage.query(c, Params.of("afterSeq", afterSeq).set("limit", limit), JdbcFeed::row);
    long head =
        headSeq
            .query(c, Params.of(), rs -> Math.max(rs.getLong("events"), rs.getLong("outbox")))
            .getFirst();
    Instant at = readTime.query(c, Params.of(), rs -> JobRows.instant(rs, "now")).getFirst();
    return new FeedPage(rows, at, head);
  }

  /**
   * Records jobs an insert created: one {@value CreatedJobs#KIND} row per {@link
   * CreatedJobs#MAX_JOBS}, written last so its seq is taken just before the commit.
   */
  void recordCreated(Connection c, List<NewJob> created, String node) throws SQLException {
    if (created.isEmpty()) {
      return;
    }
    var rows = new ArrayList<Params>();
    for (int from = 0; from < created.size(); from += CreatedJobs.MAX_JOBS) {
      List<NewJob> part =
          created.subList(from, Math.min(created.size(), from + CreatedJobs.MAX_JOBS));
      rows.add(
          Params.of("at", part.getFirst().createdAt())
              .set("kind", CreatedJobs.KIND)
              .set("body", CreatedJobs.encode(node, part)));
    }
    if (rows.size() == 1) {
      insertOutbox.update(c, rows.getFirst());
    } else {
      insertOutbox.batch(c, rows);
    }
  }

  private static FeedRow row(ResultSet rs) throws SQLException {
    long seq = rs.getLong("seq");
    Instant at = JobRows.instant(rs, "at");
    String kind = rs.getString("kind");
    if (kind != null) {
      return new FeedRow.Outbox(seq, at, kind, rs.getString("body"));
    }
    String from = rs.getString("from_state");
    return new FeedRow.Transition(
        seq,
        at,
        JobRows.id(rs, "job_id"),
        rs.getString("type"),
        rs.getString("queue"),
        from == null ? null : JobState.valueOf(from),
        JobState.valueOf(rs.getString("to_state")),
        rs.getString("node"),
        rs.getInt("attempt"),
        rs.getString("error"),
        rs.getString("message"));
  }
}
