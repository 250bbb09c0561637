package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

  @Test
  void replacesNamedParametersInOrderAndRepeats() {
    NamedSql sql = NamedSql.parse("q", "UPDATE t SET a = :a, b = :b WHERE c = :a");

    assertThat(sql.jdbcSql()).isEqualTo("UPDATE t SET a = ?, b = ? WHERE c = ?");
    assertThat(sql.params()).containsExactly("a", "b", "a");
  }

  @Test
  void leavesLiteralsCommentsAndCastsAlone() {
    NamedSql sql =
        NamedSql.parse(
            "q",
            """
        -- note: :notAParam
        SELECT ':lit', "col:x", now()::timestamptz, :real
        FROM t""");

    assertThat(sql.params()).containsExactly("real");
    assertThat(sql.jdbcSql())
        .contains("':lit'", "\"col:x\"", "now()::timestamptz", ", ?\n", "-- note: :notAParam");
  }

  @Test
  void bindsDomainValuesAndIgnoresExtraParameters() throws Exception {
    try (var c = DriverManager.getConnection("jdbc:h2:mem:named-sql-test")) {
      NamedSql sql =
          NamedSql.parse(
              "q",
              "SELECT CAST(:at AS TIMESTAMP(9) WITH TIME ZONE), :id, :state, :flag,"
                  + " CARDINALITY(:names)");
      UUID uuid = UUID.randomUUID();
      List<Object> row =
          sql.query(
                  c,
                  Params.of("at", Instant.parse("2026-01-01T00:00:00.123456789Z"))
                      .set("id", new JobId(uuid))
                      .set("state", JobState.RUNNING)
                      .set("flag", null)
                      .set("names", new String[] {"a", "b"})
                      .set("unused", "ignored"),
                  rs ->
                      List.of(
                          rs.getObject(1, OffsetDateTime.class),
                          rs.getObject(2),
                          rs.getString(3),
                          String.valueOf(rs.getObject(4)),
                          rs.getInt(5)))
              .getFirst();

      assertThat(row)
          .containsExactly(
              OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 123_456_000, ZoneOffset.UTC),
              uuid,
              "RUNNING",
              "null",
              2);
    }
  }

  @Test
  void failsNamingTheQueryAndAMissingParameter() throws Exception {
    try (var c = DriverManager.getConnection("jdbc:h2:mem:named-sql-test-2")) {
      NamedSql sql = NamedSql.parse("findThing", "SELECT :a, :b");

      assertThatThrownBy(() -> sql.query(c, Params.of("a", 1), rs -> 1))
          .hasMessage("query findThing needs a value for :b");
    }
  }
}
