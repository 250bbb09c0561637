package io.taskmill.server;

import static org.awaitility.Awaitility.await;

import io.taskmill.demo.DemoHandlers;
import io.taskmill.job.Retry;
import io.taskmill.testkit.store.PlantedRows;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The child JVM of {@link ClassLoadTest}: a server on an H2 file that is sent payloads through its
 * API and finds rows planted in its table with SQL, benign ones ({@code benign}) or the S4 hostile
 * ones ({@code hostile}). It prints one line per request ({@code api <case> <status>}) and per
 * planted job ({@code job <case> <state> <GET status>}), then {@code done}; a case named {@code
 * data:…} is hostile-looking text the payload type accepts as plain data. {@code sanity} only loads
 * {@code com.sun.rowset.JdbcRowSetImpl}, so the test can show its log parser sees it.
 */
final class HostilePayloadRun {
  /** A payload with a free-form part, which the parser must read into before binding fails. */
  record Label(String name, Map<String, Object> attributes) {}

  /**
   * A planted row's retry policy, as the engine writes {@code Retry.fixed(ZERO).maxAttempts(3)}.
   */
  private static final String RETRY =
      "{\"backoff\":\"FIXED\",\"initialMs\":0,\"maxDelayMs\":0,"
          + "\"multiplier\":1.0,\"jitter\":0.0,\"maxAttempts\":3,\"retryOn\":[],\"abortOn\":[]}";

  private HostilePayloadRun() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    if (mode.equals("sanity")) {
      Class.forName("com.sun.rowset.JdbcRowSetImpl", false, ClassLoader.getSystemClassLoader());
      System.out.println("done");
      return;
    }
    boolean hostile = mode.equals("hostile");
    Path dir = Path.of(args[1]);
    var server =
        TaskmillServer.start(
            ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir),
            b ->
                DemoHandlers.registerAll(b)
                    .handler(
                        "test.label",
                        Label.class,
                        (p, ctx) -> {},
                        h -> h.retry(Retry.fixed(Duration.ZERO).maxAttempts(3))));
    try (server;
        Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("taskmill") + ";DB_CLOSE_ON_EXIT=FALSE")) {
      var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String key = server.bootstrapSecret().orElseThrow();
      for (var e : (hostile ? hostileRequests() : benignRequests()).entrySet()) {
        System.out.println("api " + e.getKey() + " " + post(http, server, key, e.getValue()));
      }
      var planted = new LinkedHashMap<String, UUID>();
      (hostile ? hostileRows() : benignRows())
          .forEach((name, row) -> planted.put(name, plant(c, row[0], row[1])));
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> planted.values().stream().allMatch(id -> finished(c, id)));
      for (var e : planted.entrySet()) {
        var got =
            http.send(
                HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/jobs/" + e.getValue()))
                    .header("Authorization", "Bearer " + key)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println(
            "job " + e.getKey() + " " + state(c, e.getValue()) + " " + got.statusCode());
      }
      var list =
          http.send(
              HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/jobs?limit=100"))
                  .header("Authorization", "Bearer " + key)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      System.out.println("list " + list.statusCode());
    }
    System.out.println("done");
  }

  private static Map<String, String> benignRequests() {
    var r = new LinkedHashMap<String, String>();
    r.put("echo", job("demo.echo", "{\"message\":\"hello\"}"));
    r.put("label", job("test.label", "{\"name\":\"n\",\"attributes\":{\"a\":{\"b\":[1,2]}}}"));
    r.put("big", job("demo.echo", "{\"message\":\"" + "x".repeat(100_000) + "\"}"));
    r.put("noop", job("demo.noop", "{}"));
    return r;
  }

  private static Map<String, String> hostileRequests() {
    var r = new LinkedHashMap<String, String>();
    r.put(
        "@class",
        job(
            "demo.echo",
            "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\","
                + "\"dataSourceName\":\"ldap://127.0.0.1:1389/Exploit\",\"autoCommit\":true}"));
    // A free-form map may hold any key: "@class" there is data the handler gets, never a type.
    r.put(
        "data:@class-in-map",
        job(
            "test.label",
            "{\"name\":\"n\",\"attributes\":{\"@class\":"
                + "\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"rmi://127.0.0.1/x\"}}"));
    r.put(
        "type-id-array", job("demo.echo", "[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]"));
    r.put(
        "deep",
        job(
            "test.label",
            "{\"name\":\"n\",\"attributes\":"
                + "{\"a\":".repeat(10_000)
                + "1"
                + "}".repeat(10_000)
                + "}"));
    r.put("unknown-type", job("javax.naming.InitialContext", "{}"));
    r.put("100MB", null);
    return r;
  }

  private static Map<String, String[]> benignRows() {
    var r = new LinkedHashMap<String, String[]>();
    r.put("echo", new String[] {"demo.echo", "{\"message\":\"planted\"}"});
    r.put("label", new String[] {"test.label", "{\"name\":\"n\",\"attributes\":{\"k\":[true]}}"});
    return r;
  }

  private static Map<String, String[]> hostileRows() {
    var r = new LinkedHashMap<String, String[]>();
    r.put(
        "@class",
        new String[] {
          "demo.echo",
          "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\","
              + "\"dataSourceName\":\"ldap://127.0.0.1:1389/Exploit\",\"autoCommit\":true}"
        });
    r.put(
        "type-id-array",
        new String[] {"test.label", "[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]"});
    r.put(
        "deep",
        new String[] {
          "test.label",
          "{\"name\":\"n\",\"attributes\":"
              + "{\"a\":".repeat(10_000)
              + "1"
              + "}".repeat(10_000)
              + "}"
        });
    r.put(
        "1MiB-string",
        new String[] {"demo.sleep", "{\"ms\":\"" + "9".repeat((1 << 20) - 20) + "\"}"});
    return r;
  }

  private static String job(String type, String payload) {
    return "{\"type\":\"" + type + "\",\"payload\":" + payload + "}";
  }

  /** The status of a POST of {@code body}, or of 100 MB streamed without a length when null. */
  private static int post(HttpClient http, TaskmillServer server, String key, String body)
      throws IOException, InterruptedException {
    var publisher =
        body != null
            ? HttpRequest.BodyPublishers.ofString(body)
            : HttpRequest.BodyPublishers.ofInputStream(() -> new HundredMegabytes());
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(publisher)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 500) {
      throw new IllegalStateException("server error " + r.statusCode() + ": " + r.body());
    }
    return r.statusCode();
  }

  /** {@code {"type":"demo.echo","payload":{"message":"xxx…"}}} of 100 MB, made as it is read. */
  private static final class HundredMegabytes extends InputStream {
    private static final byte[] HEAD =
        "{\"type\":\"demo.echo\",\"payload\":{\"message\":\"".getBytes();
    private long left = 100L << 20;
    private int pos;

    @Override
    public int read() {
      if (left-- <= 0) {
        return -1;
      }
      return pos < HEAD.length ? HEAD[pos++] : 'x';
    }
  }

  private static UUID plant(Connection c, String type, String payload) {
    try {
      return PlantedRows.plant(c, type, payload, 3, RETRY).value();
    } catch (SQLException e) {
      throw new IllegalStateException("could not plant a " + type + " row: " + e, e);
    }
  }

  private static String state(Connection c, UUID id) throws SQLException {
    try (var ps = c.prepareStatement("SELECT state FROM tm_job WHERE id = ?")) {
      ps.setObject(1, id);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static boolean finished(Connection c, UUID id) {
    String s;
    try {
      s = state(c, id);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return s.equals("SUCCEEDED") || s.equals("DEAD") || s.equals("CANCELLED");
  }
}
