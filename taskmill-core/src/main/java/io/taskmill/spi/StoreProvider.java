package io.taskmill.spi;

/**
 * Opens a {@link Store} from settings; found with {@link java.util.ServiceLoader}, so the core
 * needs no compile-time knowledge of JDBC (add {@code taskmill-jdbc} to the classpath).
 */
public interface StoreProvider {
  /** Opens the store, creating and migrating its schema if needed. */
  Store open(StoreSettings settings);
}
