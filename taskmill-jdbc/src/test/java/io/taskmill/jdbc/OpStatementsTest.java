package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.spi.Ops;
import io.taskmill.spi.Ops.WorkflowDefinitionInsert;
import io.taskmill.spi.Query;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generic binding of {@link Ops}: a new operation is a record and a statement per dialect, and
 * what is missing or mismatched is refused when the store opens, naming it.
 */
class OpStatementsTest {

  private static List<SqlFile> files(Dialect dialect) {
    return Dialect.SQL_FILES.stream().map(f -> SqlFile.load(dialect, f)).toList();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void everyOperationHasItsStatementWithEveryParameterSupplied(Dialect dialect) {
    assertThatCode(() -> new OpStatements(dialect, files(dialect))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void everyStatementOfTheFilesIsAnOperationOrUsedByATableClass(Dialect dialect) {
    Set<String> operations =
        Arrays.stream(Ops.class.getDeclaredClasses())
            .map(
                c ->
                    Character.toLowerCase(c.getSimpleName().charAt(0))
                        + c.getSimpleName().substring(1))
            .collect(Collectors.toSet());
    for (SqlFile file : files(dialect)) {
      for (String name : file.names()) {
        assertThat(operations.contains(name) || usedByName(name))
            .as("statement %s is run by an operation or a table class", name)
            .isTrue();
      }
    }
  }

  @Test
  void anOperationWithoutItsStatementIsRefusedNamingBoth() throws IOException {
    List<SqlFile> files = withScheduleGet("");

    assertThatThrownBy(() -> new OpStatements(Dialect.H2, files))
        .hasMessageContaining("ScheduleGet")
        .hasMessageContaining("'scheduleGet'");
  }

  @Test
  void aParameterNoComponentSuppliesIsRefusedNamingIt() throws IOException {
    List<SqlFile> files =
        withScheduleGet(
            "-- name: scheduleGet\nSELECT * FROM tm_schedule WHERE name = :scheduleName\n\n");

    assertThatThrownBy(() -> new OpStatements(Dialect.H2, files))
        .hasMessageContaining("scheduleGet")
        .hasMessageContaining(":scheduleName")
        .hasMessageContaining("[name]");
  }

  @Test
  void aQueryThatIsNotAnOperationIsRefused() {
    var ops = new OpStatements(Dialect.H2, files(Dialect.H2));
    record Stray() implements Query<String> {}

    assertThatThrownBy(() -> ops.query(null, new Stray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an operation of io.taskmill.spi.Ops");
    assertThatThrownBy(
            () ->
                ops.changeEach(
                    null, List.of(new WorkflowDefinitionInsert("w", 1, "{}", Instant.EPOCH))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("WorkflowDefinitionInsert is an Insert: run each with change, not in a batch");
  }

  /** Statements the table classes run by name (set-based and multi-statement operations). */
  private static boolean usedByName(String name) {
    for (String source : TABLE_SOURCES) {
      if (source.contains("\"" + name + "\"")) {
        return true;
      }
    }
    return false;
  }

  private static final List<String> TABLE_SOURCES = tableSources();

  private static List<String> tableSources() {
    try (var files = Files.list(Path.of("src/main/java/io/taskmill/jdbc"))) {
      var sources = new ArrayList<String>();
      for (Path file : files.toList()) {
        sources.add(Files.readString(file));
      }
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schedules file of H2 with the statement {@code scheduleGet} replaced by {@code block}. */
  private static List<SqlFile> withScheduleGet(String block) throws IOException {
    String resource = Dialect.H2.sqlResource("schedules");
    String text;
    try (InputStream in = OpStatementsTest.class.getClassLoader().getResourceAsStream(resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String changed = text.replaceAll("(?ms)^-- name: scheduleGet\n.*?(?=^-- name: )", block);
    assertThat(changed).isNotEqualTo(text);
    List<SqlFile> files = new ArrayList<>(files(Dialect.H2));
    files.replaceAll(
        f -> f.names().contains("scheduleList") ? SqlFile.parse(resource, changed) : f);
    return files;
  }
}
