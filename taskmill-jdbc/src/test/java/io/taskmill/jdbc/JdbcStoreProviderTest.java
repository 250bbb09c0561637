package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.internal.lease.Rescue;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreInfo;
import io.taskmill.spi.StoreProvider;
import io.taskmill.spi.StoreSettings;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How settings become a JDBC URL, and what an opened store says about itself. */
class JdbcStoreProviderTest {
  @TempDir Path tmp;

  private static StoreSettings url(String jdbcUrl) {
    return new StoreSettings(null, null, jdbcUrl, null, null, 2);
  }

  @Test
  void aDataDirBecomesAnAbsoluteFileUrlWhoseWritesAreCheckpointed() {
    Path relative = Path.of("target", "some-dir");
    DatabaseTarget target =
        DatabaseTarget.of(new StoreSettings(relative, null, null, null, null, 2));

    Path absolute = relative.toAbsolutePath().normalize();
    assertThat(target.url())
        .isEqualTo(
            "jdbc:h2:file:"
                + absolute.resolve("taskmill")
                + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=128");
    assertThat(target.checkpointAfterWrite()).isTrue();
    assertThat(target.name()).isEqualTo("h2-file");
    assertThat(target.exclusive()).isTrue();
    assertThat(target.dataDir()).isEqualTo(absolute);
  }

  @Test
  void anInMemoryNameBecomesAMemUrlThatOutlivesIdleConnections() {
    DatabaseTarget target = DatabaseTarget.of(new StoreSettings(null, "demo", null, null, null, 2));

    assertThat(target.url()).isEqualTo("jdbc:h2:mem:demo;QUERY_CACHE_SIZE=128;DB_CLOSE_DELAY=-1");
    assertThat(target.checkpointAfterWrite()).isFalse();
    assertThat(target.name()).isEqualTo("h2-mem");
    assertThat(target.exclusive()).isTrue();
  }

  @Test
  void anOpenedDataDirKeepsEveryStatementOfTheEngineParsed() throws Exception {
    DatabaseTarget target = DatabaseTarget.of(new StoreSettings(tmp, null, null, null, null, 2));

    try (var c = DriverManager.getConnection(target.url());
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT SETTING_VALUE FROM "
                        + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(128);
    }
  }

  @Test
  void anExplicitUrlWinsAndKeepsItsOwnSettings() {
    DatabaseTarget target =
        DatabaseTarget.of(
            new StoreSettings(
                Path.of("/ignored"), null, "jdbc:h2:file:/data/x;WRITE_DELAY=100", null, null, 2));

    assertThat(target.url()).isEqualTo("jdbc:h2:file:/data/x;WRITE_DELAY=100");
    assertThat(target.dataDir()).isNull();
    assertThat(DatabaseTarget.of(url("jdbc:h2:/data/y")).url()).isEqualTo("jdbc:h2:/data/y");
    assertThat(DatabaseTarget.of(url("jdbc:h2:/data/y")).checkpointAfterWrite()).isTrue();
    assertThat(DatabaseTarget.of(url("jdbc:h2:mem:m;DB_CLOSE_DELAY=10")).url())
        .isEqualTo("jdbc:h2:mem:m;DB_CLOSE_DELAY=10");
  }

  @Test
  void sharedDatabasesAreNotExclusive() {
    DatabaseTarget autoServer = DatabaseTarget.of(url("jdbc:h2:file:/data/x;AUTO_SERVER=TRUE"));
    DatabaseTarget server = DatabaseTarget.of(url("jdbc:h2:tcp://db:9092/x"));

    assertThat(autoServer.exclusive()).isFalse();
    assertThat(server.exclusive()).isFalse();
    assertThat(server.name()).isEqualTo("h2-server");
    assertThat(server.checkpointAfterWrite()).isFalse();
  }

  @Test
  void theDescriptionHidesThePassword() {
    DatabaseTarget target = DatabaseTarget.of(url("jdbc:h2:file:/d/x;USER=sa;PASSWORD=secret"));

    assertThat(target.description()).doesNotContain("secret").contains("PASSWORD=***");
  }

  @Test
  void aPostgresqlUrlIsASharedPostgresTargetWithoutCheckpoints() {
    DatabaseTarget target =
        DatabaseTarget.of(
            new StoreSettings(
                null,
                null,
                " jdbc:postgresql://db:5432/taskmill?password=secret&currentSchema=tm ",
                "tm",
                null,
                2));

    assertThat(target.url())
        .isEqualTo("jdbc:postgresql://db:5432/taskmill?password=secret&currentSchema=tm");
    assertThat(target.dialect()).isEqualTo(Dialect.POSTGRES);
    assertThat(target.name()).isEqualTo("postgres");
    assertThat(target.exclusive()).isFalse();
    assertThat(target.checkpointAfterWrite()).isFalse();
    assertThat(target.dataDir()).isNull();
    assertThat(target.description())
        .doesNotContain("secret")
        .isEqualTo("jdbc:postgresql://db:5432/taskmill?password=***&currentSchema=tm");
    assertThat(DatabaseTarget.of(url("JDBC:POSTGRESQL://db/x")).dialect())
        .isEqualTo(Dialect.POSTGRES);
  }

  @Test
  void otherDatabasesAndIncompleteSettingsAreRejectedClearly() {
    assertThatThrownBy(() -> DatabaseTarget.of(url("jdbc:mysql://h/db?password=pw")))
        .hasMessage(
            "unsupported JDBC URL 'jdbc:mysql://h/db?password=***': Taskmill supports "
                + "H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql:...)");
    assertThatThrownBy(() -> DatabaseTarget.of(url("jdbc:h2:mem:")))
        .hasMessageContaining("needs a name");
    assertThatThrownBy(() -> DatabaseTarget.of(new StoreSettings(null, null, null, null, null, 2)))
        .hasMessage("store settings need a data dir, an in-memory database name or a JDBC URL");
    assertThatThrownBy(
            () -> DatabaseTarget.of(new StoreSettings(Path.of("/d"), "m", null, null, null, 2)))
        .hasMessageContaining("choose one");
  }

  @Test
  void isFoundByTheServiceLoader() {
    assertThat(ServiceLoader.load(StoreProvider.class).stream().map(p -> p.type().getName()))
        .contains(JdbcStoreProvider.class.getName());
  }

  @Test
  void anOpenStoreDescribesItself() {
    try (Store mem =
            new JdbcStoreProvider()
                .open(new StoreSettings(null, "describe-me", null, null, null, 2));
        Store file = H2Stores.file(tmp)) {
      assertThat(mem.info())
          .isEqualTo(
              new StoreInfo(
                  "h2-mem",
                  "jdbc:h2:mem:describe-me;QUERY_CACHE_SIZE=128;DB_CLOSE_DELAY=-1",
                  true));
      assertThat(file.info().name()).isEqualTo("h2-file");
      assertThat(file.info().description()).startsWith("jdbc:h2:file:" + tmp.toAbsolutePath());
      assertThat(file.info().exclusive()).isTrue();
    }
  }

  @Test
  void aSharedStoreRefusesToRescueForeignLeases() {
    String shared = "jdbc:h2:file:" + tmp.toAbsolutePath().resolve("shared") + ";AUTO_SERVER=TRUE";
    try (Store store = new JdbcStoreProvider().open(url(shared))) {
      assertThat(store.info().exclusive()).isFalse();
      assertThatThrownBy(() -> Rescue.foreign(store, Instant.EPOCH, "n"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("needs an exclusive store");
    }
  }

  @Test
  void aBadUrlFailsToOpenWithTheReason() {
    assertThatThrownBy(
            () -> new JdbcStoreProvider().open(url("jdbc:h2:file:" + tmp + "/x;NO_SUCH_SETTING=1")))
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageStartingWith("cannot open the store at jdbc:h2:file:" + tmp)
        .hasMessageContaining("NO_SUCH_SETTING");
  }
}
