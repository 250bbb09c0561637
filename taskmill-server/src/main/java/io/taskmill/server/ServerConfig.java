package io.taskmill.server;

import io.taskmill.TaskmillBuilder;
import java.nio.file.Path;

/**
 * Everything the server is started with, after defaults, {@code taskmill.yaml}, {@code TASKMILL_*}
 * variables and flags were merged and validated ({@link ConfigLoader}).
 *
 * @param host the address to bind; loopback only in insecure dev mode
 * @param port the HTTP port; 0 picks a free one (tests)
 * @param dataDir the embedded database's directory, when dbUrl is null
 * @param dbUrl a {@code jdbc:postgresql://…} URL for a shared database, or null
 * @param inMemory a private in-memory database (tests), instead of dataDir
 * @param nodeName this node's name in the cluster, or null for a generated one
 * @param demo register the sample handlers and trickle demo jobs
 * @param insecureDev no API keys; allowed only on a loopback address
 * @param bootstrapAdminKey the admin key to create at first start instead of a generated one
 * @param requestsPerSecond most requests per second one key may make
 * @param auditRetentionDays how many days audit trail entries are kept before the leader prunes
 *     them; at least 30 (the engine's {@code retainAudit})
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    boolean inMemory,
    String nodeName,
    boolean demo,
    boolean insecureDev,
    String bootstrapAdminKey,
    int requestsPerSecond,
    int auditRetentionDays) {

  /** Audit entries are kept a year unless configured otherwise. */
  public static final int DEFAULT_AUDIT_RETENTION_DAYS =
      (int) TaskmillBuilder.DEFAULT_RETAIN_AUDIT.toDays();

  /** The shortest audit retention: PostgreSQL refuses to delete younger entries. */
  public static final int MIN_AUDIT_RETENTION_DAYS =
      (int) TaskmillBuilder.MIN_RETAIN_AUDIT.toDays();

  /** Defaults: port 8080 on every address, the embedded store in ./taskmill-data. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        "0.0.0.0",
        8080,
        Path.of("taskmill-data"),
        null,
        null,
        null,
        false,
        null,
        false,
        false,
        null,
        1000,
        DEFAULT_AUDIT_RETENTION_DAYS);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(
        host,
        p,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        inMemory,
        nodeName,
        demo,
        insecureDev,
        bootstrapAdminKey,
        requestsPerSecond,
        auditRetentionDays);
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(
        h,
        port,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        inMemory,
        nodeName,
        demo,
        insecureDev,
        bootstrapAdminKey,
        requestsPerSecond,
        auditRetentionDays);
  }

  /** The embedded database's directory (used when no dbUrl is set and not in memory). */
  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(
        host,
        port,
        dir,
        dbUrl,
        dbUser,
        dbPassword,
        inMemory,
        nodeName,
        demo,
        insecureDev,
        bootstrapAdminKey,
        requestsPerSecond,
        auditRetentionDays);
  }

  public ServerConfig withInMemory() {
    return new ServerConfig(
        host,
        port,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        true,
        nodeName,
        demo,
        insecureDev,
        bootstrapAdminKey,
        requestsPerSecond,
        auditRetentionDays);
  }

  public ServerConfig withDb(String url, String user, String password) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        url,
        user,
        password,
        inMemory,
        nodeName,
        demo,
        insecureDev,
        bootstrapAdminKey,
        requestsPerSecond,
        auditRetentionDays);
  }

  public ServerConfig withNodeName(String name) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        inMemory,
        name,
        demo,
        insecureDev,
        bootstrapAdminKey,
        requestsPerSecond,
        auditRetentionDays);
  }

  public ServerConfig withBootstrapAdminKey(String key) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        inMemory,
        nodeName,
        demo,
        insecureDev,
        key,
        requestsPerSecond,
        auditRetentionDays);
  }

  public ServerConfig withInsecureDev(boolean on) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        inMemory,
        nodeName,
        demo,
        on,
        bootstrapAdminKey,
        requestsPerSecond,
        auditRetentionDays);
  }

  public ServerConfig withRequestsPerSecond(int n) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        inMemory,
        nodeName,
        demo,
        insecureDev,
        bootstrapAdminKey,
        n,
        auditRetentionDays);
  }

  /** Audit entries kept for {@code days} days. */
  public ServerConfig withAuditRetentionDays(int days) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        inMemory,
        nodeName,
        demo,
        insecureDev,
        bootstrapAdminKey,
        requestsPerSecond,
        days);
  }

  @Override
  public String toString() {
    // Never print the password or the bootstrap key.
    return "ServerConfig[host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", dbUrl="
        + dbUrl
        + ", dbUser="
        + dbUser
        + ", inMemory="
        + inMemory
        + ", nodeName="
        + nodeName
        + ", demo="
        + demo
        + ", insecureDev="
        + insecureDev
        + ", requestsPerSecond="
        + requestsPerSecond
        + ", auditRetentionDays="
        + auditRetentionDays
        + "]";
  }
}
