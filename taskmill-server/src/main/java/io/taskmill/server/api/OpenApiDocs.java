package io.taskmill.server.api;

import io.taskmill.access.Role;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The API's design-first OpenAPI 3.1 document ({@code openapi.yaml} on the classpath), served as
 * {@code /openapi.json} and {@code /openapi.yaml}, and a plain docs page listing its operations.
 */
public final class OpenApiDocs {
  /** Reads our own spec only; no default typing (JsonMappersTest). */
  static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static final String RESOURCE = "/io/taskmill/server/openapi.yaml";

  private OpenApiDocs() {}

  /** The document as written. */
  public static String yaml() {
    try (InputStream in = OpenApiDocs.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as a JSON tree. */
  public static JsonNode tree() {
    return YAML.readTree(yaml());
  }

  public static List<Route> routes() {
    JsonNode tree = tree();
    String json = Json.write(tree);
    String yaml = yaml();
    String page = page(tree);
    return List.of(
        Route.read(
            "GET", "/openapi.json", Role.VIEWER, ex -> ex.replyText(200, "application/json", json)),
        Route.read(
            "GET", "/openapi.yaml", Role.VIEWER, ex -> ex.replyText(200, "application/yaml", yaml)),
        Route.read("GET", "/docs", Role.VIEWER, ex -> ex.replyText(200, "text/html", page)));
  }

  private static String page(JsonNode tree) {
    var html =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<title>Taskmill API</title></head><body><h1>Taskmill API</h1>"
                + "<p>The full description is <a href=\"/openapi.json\">openapi.json</a>.</p><table>");
    for (var path : tree.get("paths").properties()) {
      for (var op : path.getValue().properties()) {
        html.append("<tr><td><code>")
            .append(escape(op.getKey().toUpperCase(Locale.ROOT)))
            .append("</code></td><td><code>")
            .append(escape(path.getKey()))
            .append("</code></td><td>")
            .append(escape(op.getValue().path("summary").asString("")))
            .append("</td></tr>");
      }
    }
    return html.append("</table></body></html>").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
