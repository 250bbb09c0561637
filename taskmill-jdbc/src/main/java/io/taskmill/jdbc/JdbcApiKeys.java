package io.taskmill.jdbc;

import io.taskmill.access.ApiKey;
import io.taskmill.access.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The {@code tm_api_key} table: binds, runs and maps the queries of {@code api_keys.sql}. */
final class JdbcApiKeys {
  private final NamedSql insertApiKey;
  private final Dialect dialect;

  JdbcApiKeys(SqlFile sql, Dialect dialect) {
    this.dialect = dialect;
    insertApiKey = sql.get("insertApiKey");
  }

  /** Inserts a key; false when its id or hash is taken. */
  boolean insert(Connection c, ApiKey key) throws SQLException {
    Params p =
        Params.of("id", key.id())
            .set("name", key.name())
            .set("role", key.role())
            .set("secretHash", key.secretHash())
            .set("createdAt", key.createdAt())
            .set("revokedAt", key.revokedAt())
            .set("createdBy", key.createdBy())
            .set("queues", key.queues() == null ? null : TagsJson.encode(key.queues()));
    try {
      return insertApiKey.update(c, p) == 1;
    } catch (SQLException e) {
      // H2 only: PostgreSQL's ON CONFLICT DO NOTHING inserts 0 rows instead.
      if (dialect != Dialect.H2 || !dialect.isUniqueViolation(e)) {
        throw e;
      }
      return false;
    }
  }

  static ApiKey apiKey(ResultSet rs) throws SQLException {
    // A JSON array like tm_job.tags: queue names need no escaping, and the encoding is shared.
    String queues = rs.getString("queues");
    return new ApiKey(
        rs.getString("id"),
        rs.getString("name"),
        Role.valueOf(rs.getString("role")),
        rs.getString("secret_hash"),
        JobRows.instant(rs, "created_at"),
        JobRows.instant(rs, "revoked_at"),
        rs.getString("created_by"),
        queues == null ? null : TagsJson.decode(queues));
  }
}
