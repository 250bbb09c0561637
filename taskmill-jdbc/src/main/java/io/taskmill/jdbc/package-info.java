/**
 * The Store on JDBC: embedded H2, or PostgreSQL by URL. SQL lives in {@code .sql} files per dialect
 * ({@code io/taskmill/jdbc/<dialect>/*.sql}) and the schema in Flyway migrations per dialect; the
 * Java side binds, runs and maps, one class per table family.
 */
package io.taskmill.jdbc;
