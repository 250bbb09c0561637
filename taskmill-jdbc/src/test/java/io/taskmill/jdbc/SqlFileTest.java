package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlFileTest {

  @Test
  void splitsBlocksByName() {
    SqlFile file =
        SqlFile.parse(
            "x.sql",
            """
        -- A header comment about the file.

        -- name: first
        SELECT 1
        FROM t WHERE a = :a

        -- name: second
        -- What it does.
        UPDATE t SET b = :b
        """);

    assertThat(file.names()).containsExactlyInAnyOrder("first", "second");
    assertThat(file.get("first").jdbcSql()).isEqualTo("SELECT 1\nFROM t WHERE a = ?");
    assertThat(file.get("second").params()).containsExactly("b");
  }

  @Test
  void namesTheFileWhenAQueryIsMissing() {
    SqlFile file = SqlFile.parse("x.sql", "-- name: a\nSELECT 1\n");

    assertThatThrownBy(() -> file.get("b")).hasMessage("query 'b' is missing from x.sql");
  }

  @Test
  void rejectsSqlOutsideABlockAndDuplicateOrEmptyQueries() {
    for (String bad :
        List.of(
            "SELECT 1\n-- name: a\nSELECT 2",
            "-- name: a\nSELECT 1\n-- name: a\n" + "SELECT 2",
            "-- name: a\n-- only a comment\n-- name: b\nSELECT 1",
            "-- name:\nSELECT 1")) {
      assertThatThrownBy(() -> SqlFile.parse("x.sql", bad))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("x.sql");
    }
  }
}
