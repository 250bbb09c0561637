package io.taskmill.jdbc;

import io.taskmill.job.JobId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One named statement from a {@code .sql} file, with its {@code :name} parameters turned into JDBC
 * placeholders, plus bind-and-run helpers.
 *
 * @param name the query's name in its file
 * @param jdbcSql the statement with every {@code :name} replaced by {@code ?}
 * @param params the parameter name of each placeholder, in order (a name may repeat)
 */
record NamedSql(String name, String jdbcSql, List<String> params) {

  NamedSql {
    params = List.copyOf(params);
  }

  /** Reads one row of a result set. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /**
   * Parses {@code sql}: {@code :name} outside string literals, quoted identifiers and comments is a
   * parameter; {@code ::} (a PostgreSQL cast) is not.
   */
  static NamedSql parse(String name, String sql) {
    var out = new StringBuilder(sql.length());
    var params = new ArrayList<String>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = sql.indexOf(c, i + 1);
        end = end < 0 ? n : end + 1;
        out.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (c == ':' && i + 1 < n && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
        int end = i + 1;
        while (end < n && Character.isJavaIdentifierPart(sql.charAt(end))) {
          end++;
        }
        params.add(sql.substring(i + 1, end));
        out.append('?');
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return new NamedSql(name, out.toString(), params);
  }

  /** Binds {@code values} to {@code ps}; every parameter the statement names must have a value. */
  void bind(PreparedStatement ps, Params values) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      String param = params.get(i);
      if (!values.has(param)) {
        throw new IllegalArgumentException("query " + name + " needs a value for :" + param);
      }
      setValue(ps, i + 1, values.get(param));
    }
  }

  private static void setValue(PreparedStatement ps, int index, Object value) throws SQLException {
    switch (value) {
      case null -> ps.setObject(index, null);
      // Columns hold microseconds; truncating here keeps every write path consistent.
      case Instant t -> ps.setObject(index, OffsetDateTime.ofInstant(micros(t), ZoneOffset.UTC));
      case JobId id -> ps.setObject(index, id.value());
      case Enum<?> e -> ps.setString(index, e.name());
      case String[] a -> ps.setArray(index, ps.getConnection().createArrayOf("VARCHAR", a));
      case UUID[] a -> ps.setArray(index, ps.getConnection().createArrayOf("UUID", a));
      case Long[] a -> ps.setArray(index, ps.getConnection().createArrayOf("BIGINT", a));
      case Integer[] a -> ps.setArray(index, ps.getConnection().createArrayOf("INTEGER", a));
      default -> ps.setObject(index, value);
    }
  }

  /** The instant as the database stores it. */
  static Instant micros(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * The instant as text a PostgreSQL {@code CAST(... AS timestamptz)} reads exactly (ISO-8601 in
   * UTC, microseconds), for arrays of instants bound as {@code varchar[]}.
   */
  static String isoText(Instant t) {
    return t == null ? null : micros(t).toString();
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the row count. */
  int update(Connection c, Params values) throws SQLException {
    try (var ps = c.prepareStatement(jdbcSql)) {
      bind(ps, values);
      return ps.executeUpdate();
    }
  }

  /** Runs the statement once per entry in one JDBC batch; returns each entry's row count. */
  int[] batch(Connection c, List<Params> rows) throws SQLException {
    if (rows.isEmpty()) {
      return new int[0];
    }
    try (var ps = c.prepareStatement(jdbcSql)) {
      for (Params row : rows) {
        bind(ps, row);
        ps.addBatch();
      }
      return ps.executeBatch();
    }
  }

  /**
   * Runs a query once per entry on one prepared statement and maps each run's first row: for a
   * statement the database will not cache (H2 parses a data-change delta table on every prepare).
   */
  <T> List<T> queryFirstOfEach(Connection c, List<Params> entries, RowMapper<T> mapper)
      throws SQLException {
    var firsts = new ArrayList<T>(entries.size());
    try (var ps = c.prepareStatement(jdbcSql)) {
      for (Params values : entries) {
        bind(ps, values);
        try (var rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException(name + " returned no row for one of its entries");
          }
          firsts.add(mapper.map(rs));
        }
      }
    }
    return firsts;
  }

  /** Runs a query and maps every row. */
  <T> List<T> query(Connection c, Params values, RowMapper<T> mapper) throws SQLException {
    try (var ps = c.prepareStatement(jdbcSql)) {
      bind(ps, values);
      try (var rs = ps.executeQuery()) {
        var rows = new ArrayList<T>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    }
  }
}
