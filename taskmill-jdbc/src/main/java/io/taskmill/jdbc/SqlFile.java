package io.taskmill.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The named queries of one {@code .sql} file: blocks that start with a {@code -- name: queryName}
 * line and run to the next one. Comments before the first block describe the file.
 */
final class SqlFile {
  private static final String NAME_MARKER = "-- name:";

  private final String resource;
  private final Map<String, NamedSql> queries;

  private SqlFile(String resource, Map<String, NamedSql> queries) {
    this.resource = resource;
    this.queries = queries;
  }

  /** Loads one query file of a dialect from the classpath. */
  static SqlFile load(Dialect dialect, String family) {
    String resource = dialect.sqlResource(family);
    try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "SQL resource " + resource + " is missing from the classpath");
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read SQL resource " + resource, e);
    }
  }

  /** Parses file text; {@code resource} only names the file in error messages. */
  static SqlFile parse(String resource, String text) {
    var queries = new LinkedHashMap<String, NamedSql>();
    String current = null;
    var body = new StringBuilder();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.startsWith(NAME_MARKER)) {
        add(resource, queries, current, body);
        current = trimmed.substring(NAME_MARKER.length()).strip();
        if (current.isEmpty() || queries.containsKey(current)) {
          throw new IllegalStateException(
              resource + ":" + lineNo + ": query name '" + current + "' is empty or defined twice");
        }
        body.setLength(0);
      } else if (current != null) {
        body.append(line.stripTrailing()).append('\n');
      } else if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
        throw new IllegalStateException(
            resource + ":" + lineNo + ": SQL before the first '-- name:' line belongs to no query");
      }
    }
    add(resource, queries, current, body);
    return new SqlFile(resource, Map.copyOf(queries));
  }

  private static void add(
      String resource, Map<String, NamedSql> queries, String name, StringBuilder body) {
    if (name == null) {
      return;
    }
    String sql = body.toString().strip();
    if (sql.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--"))) {
      throw new IllegalStateException(resource + ": query '" + name + "' has no SQL");
    }
    queries.put(name, NamedSql.parse(name, sql));
  }

  /** The query called {@code name}; fails naming the file when it is missing. */
  NamedSql get(String name) {
    NamedSql sql = queries.get(name);
    if (sql == null) {
      throw new IllegalStateException("query '" + name + "' is missing from " + resource);
    }
    return sql;
  }

  Set<String> names() {
    return queries.keySet();
  }
}
