package io.taskmill.server;

import io.taskmill.TaskmillBuilder;
import io.taskmill.access.ApiKeys;
import io.taskmill.access.Role;
import io.taskmill.demo.DemoHandlers;
import io.taskmill.job.Retry;
import io.taskmill.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** A real server on a free loopback port over a private in-memory store, with a key per role. */
final class ServerFixture implements AutoCloseable {
  /** A payload record for handler discovery tests. */
  record Thumbnail(String image, int width, List<String> formats) {}

  final TaskmillServer server;
  final String admin;
  final Map<Role, String> keys = new EnumMap<>(Role.class);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ServerFixture() {
    this(ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withInMemory());
  }

  ServerFixture(ServerConfig config) {
    this(config, b -> {});
  }

  /** With {@code more} added to the engine's configuration (queues, say). */
  ServerFixture(ServerConfig config, Consumer<TaskmillBuilder> more) {
    server =
        TaskmillServer.start(
            config,
            b ->
                more.accept(
                    DemoHandlers.registerAll(b)
                        .handler(
                            "media.thumbnail",
                            Thumbnail.class,
                            (p, ctx) -> {},
                            h -> h.retry(Retry.fixed(Duration.ofMillis(10)).maxAttempts(2)))));
    admin = server.bootstrapSecret().orElseThrow();
    keys.put(Role.ADMIN, admin);
    for (Role role : Role.values()) {
      if (role != Role.ADMIN) {
        var made = ApiKeys.generate("test " + role.text(), role, Instant.now(), "test");
        server.taskmill().access().addKey(made.key());
        keys.put(role, made.secret());
      }
    }
  }

  record Reply(int status, String contentType, String body) {
    JsonNode json() {
      return Json.MAPPER.readTree(body);
    }
  }

  Reply send(String method, String path, String key, String body, String contentType) {
    var b = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(10));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a key of {@code role} limited to {@code queues}, and returns its secret. */
  String scopedKey(Role role, List<String> queues) {
    var made = ApiKeys.generate("scoped " + role.text(), role, Instant.now(), "test", queues);
    server.taskmill().access().addKey(made.key());
    return made.secret();
  }

  Reply get(String path, Role role) {
    return send("GET", path, keys.get(role), null, null);
  }

  Reply post(String path, Role role, String json) {
    return send("POST", path, keys.get(role), json, json == null ? null : "application/json");
  }

  @Override
  public void close() {
    server.close();
  }
}
