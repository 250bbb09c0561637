package io.taskmill.server.http;

import io.taskmill.access.Role;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One operation of the API: method and path template ({@code /api/v1/jobs/{id}}), who may call it
 * (null role: anyone, no key needed), the audit action it records when it changes something (null:
 * a read), and its handler.
 */
public record Route(String method, String template, Role role, String action, Handler handler) {
  private static final Pattern TEMPLATE = Pattern.compile("(/([a-z0-9.\\-]+|\\{[a-zA-Z]+}))+|/");

  /** What a route does with an exchange; throw {@link Problem} for what the caller got wrong. */
  @FunctionalInterface
  public interface Handler {
    void handle(Exchange exchange) throws Exception;
  }

  public Route {
    if (!TEMPLATE.matcher(template).matches()) {
      throw new IllegalArgumentException("bad route template " + template);
    }
  }

  /** A route anyone may call without a key (liveness, readiness). */
  public static Route open(String method, String template, Handler handler) {
    return new Route(method, template, null, null, handler);
  }

  /** A read that needs at least {@code role}. */
  public static Route read(String method, String template, Role role, Handler handler) {
    return new Route(method, template, role, null, handler);
  }

  /**
   * A change that needs at least {@code role} and is recorded in the audit trail as {@code action}.
   */
  public static Route change(
      String method, String template, Role role, String action, Handler handler) {
    return new Route(method, template, role, action, handler);
  }

  /** The template's segments, for matching. */
  List<String> segments() {
    return template.equals("/") ? List.of() : List.of(template.substring(1).split("/"));
  }
}
