package io.taskmill.spi;

/**
 * Describes a store for logs and benchmark output.
 *
 * @param name short name, e.g. {@code h2-file}
 * @param description connection summary without secrets, e.g. the JDBC URL
 * @param exclusive true when no other process can use the same database while this store is open
 *     (an embedded file database holds a file lock), so leases held by others are provably dead
 */
public record StoreInfo(String name, String description, boolean exclusive) {}
