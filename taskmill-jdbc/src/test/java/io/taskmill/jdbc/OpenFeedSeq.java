package io.taskmill.jdbc;

import io.taskmill.testkit.store.EventFeedContract.OpenSeq;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A transaction on a connection of its own that wrote an outbox row (so took a feed seq) and is
 * left open: the in-flight transaction whose seq the feed must not deliver past too early.
 */
final class OpenFeedSeq implements OpenSeq {
  private final Connection c;
  private boolean done;

  OpenFeedSeq(Connection c) throws SQLException {
    this.c = c;
    c.setAutoCommit(false);
    try (var st = c.createStatement()) {
      st.executeUpdate(
          "INSERT INTO tm_outbox (at, kind, body) VALUES (CURRENT_TIMESTAMP, "
              + "'jobs.created', '{\"node\":\"held\",\"jobs\":[]}')");
    }
  }

  @Override
  public void commit() throws SQLException {
    end(true);
  }

  @Override
  public void rollback() throws SQLException {
    end(false);
  }

  private void end(boolean commit) throws SQLException {
    if (done) {
      return;
    }
    done = true;
    try (c) {
      if (commit) {
        c.commit();
      } else {
        c.rollback();
      }
    }
  }
}
