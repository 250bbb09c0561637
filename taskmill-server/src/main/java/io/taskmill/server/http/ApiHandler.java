package io.taskmill.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one Jetty handler in front of every route: request id, routing, authentication and roles,
 * per-key rate limits, the audit record of every change, HTTP meters and the access log. Anything a
 * route throws becomes {@code application/problem+json}; an unexpected error is logged with the
 * request id and answered as a 500 without internals.
 */
public final class ApiHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  private static final Logger access = LoggerFactory.getLogger("taskmill.access");
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");

  private final Router router;
  private final Authenticator authenticator;
  private final AuditTrail audit;
  private final MeterRegistry meters;
  private final boolean insecure;
  private final int requestsPerSecond;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param insecure loopback-only dev mode: no keys, every caller is an admin
   * @param requestsPerSecond most requests one key may make per second before 429
   */
  public ApiHandler(
      Router router,
      Authenticator authenticator,
      AuditTrail audit,
      MeterRegistry meters,
      boolean insecure,
      int requestsPerSecond) {
    this.router = router;
    this.authenticator = authenticator;
    this.audit = audit;
    this.meters = meters;
    this.insecure = insecure;
    this.requestsPerSecond = requestsPerSecond;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long started = System.nanoTime();
    String requestId = requestId(request);
    MDC.put("requestId", requestId);
    response.getHeaders().put("X-Request-Id", requestId);
    // Answers are data, never pages to run: no sniffing into HTML, no scripts, no framing.
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response
        .getHeaders()
        .put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    String method = request.getMethod();
    Route route = null;
    Principal who = Principal.ANONYMOUS;
    Exchange exchange = null;
    Runnable send = () -> {};
    int status;
    String problemDetail = null;
    try {
      Router.Match match = router.match(method, segments(request));
      route = match.route();
      who = authenticate(route, request);
      authorize(route, who);
      exchange = new Exchange(request, response, match.params(), who, requestId);
      route.handler().handle(exchange);
      status = exchange.status();
      if (!exchange.streamed()) {
        Exchange done = exchange;
        int code = status;
        send = () -> write(response, code, done.contentType(), done.body(), callback);
      } else {
        exchange.endStream();
        callback.succeeded();
      }
    } catch (Problem p) {
      status = p.status();
      problemDetail = p.detail();
      boolean hasBody =
          request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
      if (hasBody && (exchange == null || !exchange.bodyRead())) {
        // Unread body bytes would be taken for the next request: close instead of reusing.
        p.header("Connection", "close");
      }
      send = () -> writeProblem(response, callback, p, request);
    } catch (Throwable e) {
      status = 500;
      if (exchange != null && exchange.streamed()) {
        log.debug("stream ended: {}", e.toString());
        callback.failed(e);
      } else {
        log.error("request {} {} failed", method, request.getHttpURI().getPath(), e);
        send =
            () ->
                writeProblem(
                    response,
                    callback,
                    new Problem(
                        500,
                        "Internal Server Error",
                        "the server failed to handle this request; quote request id "
                            + requestId
                            + " when reporting it",
                        null),
                    request);
      }
    } finally {
      MDC.remove("requestId");
    }
    // The audit row is committed before the answer goes out: no acknowledged change goes
    // unrecorded, even if the process dies right after.
    audit(request, route, who, exchange, status, problemDetail, requestId);
    send.run();
    measure(request, route, who, status, started, requestId);
    return true;
  }

  /** The caller, known before its role is checked so a refusal is audited under its key. */
  private Principal authenticate(Route route, Request request) {
    if (route.role() == null) {
      return Principal.ANONYMOUS;
    }
    if (insecure) {
      return Principal.insecure();
    }
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      throw unauthorized("this route needs an API key: send 'Authorization: Bearer <key>'");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("send the API key as 'Authorization: Bearer <key>'");
    }
    Optional<Principal> who = authenticator.authenticate(header.substring(7).trim());
    if (who.isEmpty()) {
      throw unauthorized("the API key is not valid (unknown, malformed or revoked)");
    }
    return who.get();
  }

  private void authorize(Route route, Principal p) {
    if (route.role() == null || p.keyId() == null) {
      return; // an open route, or loopback dev mode
    }
    if (!p.role().allows(route.role())) {
      throw new Problem(
          403,
          "Forbidden",
          "this needs the role '"
              + route.role().name().toLowerCase(Locale.ROOT)
              + "'; key "
              + p.keyId()
              + " has '"
              + p.role().name().toLowerCase(Locale.ROOT)
              + "'",
          null);
    }
    if (!admit(p.keyId())) {
      throw new Problem(
              429,
              "Too Many Requests",
              "more than "
                  + requestsPerSecond
                  + " requests per second with one key; wait and retry",
              null)
          .header("Retry-After", "1");
    }
  }

  private static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail, "Authorization")
        .header("WWW-Authenticate", "Bearer realm=\"taskmill\"");
  }

  /** A fixed one-second window per key: cheap, and exact enough to stop a runaway client. */
  private boolean admit(String keyId) {
    long second = System.nanoTime() / 1_000_000_000L;
    Window w =
        windows.compute(
            keyId, (k, old) -> old == null || old.second != second ? new Window(second) : old);
    return w.count.incrementAndGet() <= requestsPerSecond;
  }

  private static final class Window {
    final long second;
    final AtomicInteger count = new AtomicInteger();

    Window(long second) {
      this.second = second;
    }
  }

  private void audit(
      Request request,
      Route route,
      Principal who,
      Exchange exchange,
      int status,
      String problemDetail,
      String requestId) {
    if (route == null || route.action() == null) {
      return;
    }
    String resource =
        exchange == null || exchange.resource() == null
            ? request.getHttpURI().getPath()
            : exchange.resource();
    try {
      audit.record(
          who,
          route.action(),
          resource,
          status < 400 ? "ok" : Integer.toString(status),
          Request.getRemoteAddr(request),
          requestId,
          problemDetail);
    } catch (RuntimeException e) {
      log.error("could not record the audit entry of request {}", requestId, e);
    }
  }

  private void measure(
      Request request, Route route, Principal who, int status, long started, String requestId) {
    long nanos = System.nanoTime() - started;
    String template = route == null ? "unmatched" : route.template();
    Timer.builder("http.server.requests")
        .tag("method", request.getMethod())
        .tag("uri", template)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(meters)
        .record(nanos, TimeUnit.NANOSECONDS);
    MDC.put("requestId", requestId);
    try {
      // The path is logged as received minus its query: a query may carry secrets by mistake.
      access.info(
          "{} {} {} {} ms key={}",
          request.getMethod(),
          LogText.clean(request.getHttpURI().getPath()),
          status,
          nanos / 1_000_000,
          who.keyId() == null ? "-" : who.keyId());
    } finally {
      MDC.remove("requestId");
    }
  }

  private static String requestId(Request request) {
    String given = request.getHeaders().get("X-Request-Id");
    return given != null && REQUEST_ID.matcher(given).matches()
        ? given
        : UUID.randomUUID().toString();
  }

  /** The decoded path's segments; one that decodes to '/' or '..' is refused, not normalised. */
  private static List<String> segments(Request request) {
    String raw = request.getHttpURI().getPath();
    if (raw == null || !raw.startsWith("/")) {
      throw Problem.badRequest("the request path must start with '/'", "path");
    }
    var out = new ArrayList<String>();
    String[] parts = raw.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i == parts.length - 1 && parts[i].isEmpty() && parts.length > 1) {
        break; // a trailing slash names the same resource
      }
      String part;
      try {
        part = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw Problem.badRequest("the request path has a malformed %-escape", "path");
      }
      if (part.contains("/") || part.equals("..") || part.equals(".") || part.indexOf(0) >= 0) {
        throw Problem.badRequest(
            "path segment '" + LogText.clean(part) + "' is not allowed", "path");
      }
      out.add(part);
    }
    if (out.size() == 1 && out.getFirst().isEmpty()) {
      return List.of();
    }
    return out;
  }

  private static void write(
      Response response, int status, String contentType, byte[] body, Callback callback) {
    response.setStatus(status);
    if (body == null) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      callback.succeeded();
      return;
    }
    response
        .getHeaders()
        .put(
            HttpHeader.CONTENT_TYPE,
            contentType.startsWith("text/") || contentType.endsWith("json")
                ? contentType + "; charset=utf-8"
                : contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Writes a problem; also used by the server's error handler for what Jetty itself refuses. */
  public static void writeProblem(
      Response response, Callback callback, Problem p, Request request) {
    var json =
        Json.object()
            .put("type", "about:blank")
            .put("title", p.title())
            .put("status", p.status())
            .put("detail", p.detail());
    if (p.field() != null) {
      json.put("field", p.field());
    }
    if (request != null) {
      json.put("instance", LogText.clean(request.getHttpURI().getPath()));
    }
    p.headers().forEach((k, v) -> response.getHeaders().put(k, v));
    byte[] body = Json.write(json).getBytes(StandardCharsets.UTF_8);
    response.setStatus(p.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
