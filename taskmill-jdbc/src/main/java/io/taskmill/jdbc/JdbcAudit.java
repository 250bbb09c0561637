package io.taskmill.jdbc;

import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.access.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code tm_audit} table: binds, runs and maps the queries of {@code audit.sql}. */
final class JdbcAudit {
  private final NamedSql appendAudit;
  private final NamedSql listAudit;

  JdbcAudit(SqlFile sql) {
    appendAudit = sql.get("appendAudit");
    listAudit = sql.get("listAudit");
  }

  /** Appends entries in order on one prepared statement; returns the seq each was given. */
  List<Long> appendAll(Connection c, List<AuditEntry> entries) throws SQLException {
    var rows = new ArrayList<Params>(entries.size());
    for (AuditEntry e : entries) {
      rows.add(
          Params.of("at", e.at())
              .set("keyId", e.keyId())
              .set("role", e.role())
              .set("action", e.action())
              .set("resource", e.resource())
              .set("outcome", e.outcome())
              .set("remoteAddress", e.remoteAddress())
              .set("requestId", e.requestId())
              .set("detail", e.detail()));
    }
    return appendAudit.queryFirstOfEach(c, rows, rs -> rs.getLong("seq"));
  }

  List<AuditEntry> list(Connection c, AuditQuery q) throws SQLException {
    Params p =
        Params.of("keyId", q.keyId())
            .set("action", q.action())
            .set("from", q.from())
            .set("to", q.to())
            .set("beforeSeq", q.beforeSeq())
            .set("limit", q.limit());
    return listAudit.query(c, p, JdbcAudit::entry);
  }

  private static AuditEntry entry(ResultSet rs) throws SQLException {
    String role = rs.getString("role");
    return new AuditEntry(
        rs.getLong("seq"),
        JobRows.instant(rs, "at"),
        rs.getString("key_id"),
        role == null ? null : Role.valueOf(role),
        rs.getString("action"),
        rs.getString("resource"),
        rs.getString("outcome"),
        rs.getString("remote_address"),
        rs.getString("request_id"),
        rs.getString("detail"));
  }
}
