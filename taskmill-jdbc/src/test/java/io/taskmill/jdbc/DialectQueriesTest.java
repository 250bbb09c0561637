package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every dialect defines the same queries and the same migration versions, and Java finds them. */
class DialectQueriesTest {

  @Test
  void everyDialectDefinesTheSameQueryNames() {
    for (String family : Dialect.SQL_FILES) {
      Set<String> reference = SqlFile.load(Dialect.H2, family).names();
      assertThat(reference).as(family).isNotEmpty();
      for (Dialect dialect : Dialect.values()) {
        assertThat(SqlFile.load(dialect, family).names())
            .as(dialect + " " + family + ".sql")
            .containsExactlyInAnyOrderElementsOf(reference);
      }
    }
  }

  @Test
  void everyDialectHasEveryQueryTheJavaSideUses() {
    for (Dialect dialect : Dialect.values()) {
      // The constructors look up each query by name and fail on a missing one.
      new JdbcJobs(SqlFile.load(dialect, "jobs"), dialect);
      new JdbcJobHistory(SqlFile.load(dialect, "job_history"), dialect);
      new JdbcQueues(SqlFile.load(dialect, "queues"));
      new JdbcCluster(SqlFile.load(dialect, "cluster"));
      new JdbcLocks(SqlFile.load(dialect, "locks"), dialect);
      new JdbcLimits(SqlFile.load(dialect, "limits"));
      new JdbcSchedules(SqlFile.load(dialect, "schedules"), dialect);
      new JdbcApiKeys(SqlFile.load(dialect, "api_keys"), dialect);
      new JdbcAudit(SqlFile.load(dialect, "audit"));
      new JdbcFeed(SqlFile.load(dialect, "feed"));
    }
  }

  @Test
  void everyDialectHasTheSameMigrationVersions() throws Exception {
    List<String> reference = migrations(Dialect.H2);
    assertThat(reference).isNotEmpty();
    for (Dialect dialect : Dialect.values()) {
      assertThat(migrations(dialect)).as(dialect.name()).isEqualTo(reference);
    }
  }

  private static List<String> migrations(Dialect dialect) throws IOException, URISyntaxException {
    String dir = dialect.migrationLocation().substring("classpath:".length());
    Path path = Path.of(DialectQueriesTest.class.getClassLoader().getResource(dir).toURI());
    try (Stream<Path> files = Files.list(path)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sql"))
          .map(n -> n.substring(0, n.indexOf("__")))
          .sorted()
          .toList();
    }
  }
}
