package io.taskmill.spi;

import java.nio.file.Path;

/**
 * Where and how to open the default store.
 *
 * @param dataDir directory for the embedded file database; null when {@code inMemoryName} is set
 * @param inMemoryName name of a private in-memory database (tests); null for a file database
 * @param jdbcUrl explicit JDBC URL overriding the two above, or null
 * @param poolSize connections in the main pool
 */
public record StoreSettings(
    Path dataDir, String inMemoryName, String jdbcUrl, String user, String password, int poolSize) {

  @Override
  public String toString() {
    // Never print the password.
    return "StoreSettings[dataDir="
        + dataDir
        + ", inMemoryName="
        + inMemoryName
        + ", jdbcUrl="
        + jdbcUrl
        + ", user="
        + user
        + ", poolSize="
        + poolSize
        + "]";
  }
}
