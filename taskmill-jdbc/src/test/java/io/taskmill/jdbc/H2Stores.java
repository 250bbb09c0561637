package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.spi.StoreSettings;
import java.nio.file.Path;
import java.util.UUID;

/** Opens H2 stores for tests: a private in-memory database, or a file database in a directory. */
final class H2Stores {
  private H2Stores() {}

  /** A fresh in-memory store with a name no other test uses. */
  static Store inMemory() {
    return inMemory(4);
  }

  /** A fresh in-memory store with {@code poolSize} connections in its main pool. */
  static Store inMemory(int poolSize) {
    return inMemory("test-" + UUID.randomUUID(), poolSize);
  }

  /** An in-memory store named {@code name}: {@code jdbc:h2:mem:<name>} reaches it too. */
  static Store inMemory(String name, int poolSize) {
    return new JdbcStoreProvider().open(new StoreSettings(null, name, null, null, null, poolSize));
  }

  /** A file store whose data dir is {@code dir}. */
  static Store file(Path dir) {
    return new JdbcStoreProvider().open(new StoreSettings(dir, null, null, null, null, 4));
  }
}
