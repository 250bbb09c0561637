package io.taskmill.jdbc;

import io.taskmill.spi.LockHolder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/** The {@code tm_lock} table: binds, runs and maps the queries of {@code locks.sql}. */
final class JdbcLocks {
  private final NamedSql takeLock;
  private final Dialect dialect;

  JdbcLocks(SqlFile sql, Dialect dialect) {
    takeLock = sql.get("takeLock");
    this.dialect = dialect;
  }

  /** The new fencing token, or empty when the lock is held by someone else. */
  OptionalLong take(Connection c, String name, LockHolder holder, Instant now, Instant expiresAt)
      throws SQLException {
    Params params =
        holder(Params.of("name", name), holder).set("now", now).set("expiresAt", expiresAt);
    try {
      return first(takeLock.query(c, params, rs -> rs.getLong("token")));
    } catch (SQLException e) {
      // H2 only (PostgreSQL resolves the race with ON CONFLICT): another caller inserted the name
      // between our look and our insert. Its row is there now, so the second look decides.
      if (dialect != Dialect.H2 || !dialect.isUniqueViolation(e)) {
        throw e;
      }
      return first(takeLock.query(c, params, rs -> rs.getLong("token")));
    }
  }

  private static Params holder(Params params, LockHolder holder) {
    return params
        .set("node", holder.node())
        .set("jobId", holder.jobId())
        .set("leaseEpoch", holder.leaseEpoch());
  }

  private static OptionalLong first(List<Long> tokens) {
    return tokens.isEmpty() ? OptionalLong.empty() : OptionalLong.of(tokens.getFirst());
  }
}
