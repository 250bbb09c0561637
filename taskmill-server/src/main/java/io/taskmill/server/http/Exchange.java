package io.taskmill.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;

/**
 * One request as a route sees it: path and query parameters, a bounded JSON body, the caller, and
 * the reply. Query parameters are validated by the route; repeating one is an error, so a filter is
 * never silently half-applied.
 */
public final class Exchange {
  /** Largest request body accepted (A2, docs/server.md); larger ones get 413. */
  public static final int MAX_BODY_BYTES = 1 << 20;

  private final Request request;
  private final Response response;
  private final Map<String, String> params;
  private final Principal principal;
  private final String requestId;
  private Fields query;
  private int status = 200;
  private String contentType;
  private byte[] body;
  private OutputStream stream;
  private String resource;
  private boolean bodyRead;

  Exchange(
      Request request,
      Response response,
      Map<String, String> params,
      Principal principal,
      String requestId) {
    this.request = request;
    this.response = response;
    this.params = params;
    this.principal = principal;
    this.requestId = requestId;
  }

  public Principal principal() {
    return principal;
  }

  /** The request id: the caller's {@code X-Request-Id} when well-formed, else a new one. */
  public String requestId() {
    return requestId;
  }

  public String remoteAddress() {
    return Request.getRemoteAddr(request);
  }

  /** A path parameter named in the route's template. */
  public String param(String name) {
    return params.get(name);
  }

  /** A query parameter, or null; given twice it is a 400. */
  public String query(String name) {
    List<String> values = queryFields().getValues(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw Problem.badRequest(
          "query parameter '" + name + "' is given " + values.size() + " times; give it once",
          name);
    }
    return values.getFirst();
  }

  /** Refuses query parameters the route does not know, so a typo is not silently ignored. */
  public void onlyQuery(Set<String> known) {
    for (String name : queryFields().getNames()) {
      if (!known.contains(name)) {
        throw Problem.badRequest(
            "unknown query parameter '"
                + LogText.clean(name)
                + "'; known: "
                + String.join(", ", new TreeSet<>(known)),
            name);
      }
    }
  }

  private Fields queryFields() {
    if (query == null) {
      try {
        query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        throw Problem.badRequest(
            "the query string is malformed: " + LogText.clean(e.getMessage()), "query");
      }
    }
    return query;
  }

  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /**
   * The body as JSON: it must be {@code application/json}, at most {@link #MAX_BODY_BYTES}, valid
   * UTF-8 and at most {@link Json#MAX_DEPTH} deep.
   */
  public JsonNode json() throws IOException {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null
        || !type.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
      throw new Problem(
          415,
          "Unsupported Media Type",
          "send the body as application/json (was "
              + (type == null ? "no Content-Type" : "'" + type + "'")
              + ")",
          "Content-Type");
    }
    byte[] bytes = bodyBytes();
    if (bytes.length == 0) {
      throw Problem.badRequest("the request body is empty; send a JSON object", "body");
    }
    try {
      // Jackson decodes UTF-8 leniently in places; a body must be valid UTF-8 to be taken.
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw Problem.badRequest("the body is not valid UTF-8; send JSON encoded as UTF-8", "body");
    }
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (StreamConstraintsException e) {
      throw Problem.badRequest("the JSON body exceeds a limit: " + e.getOriginalMessage(), "body");
    } catch (JacksonException e) {
      throw Problem.badRequest(
          "the body is not valid JSON: " + e.getOriginalMessage() + location(e), "body");
    }
  }

  private static String location(JacksonException e) {
    var at = e.getLocation();
    return at == null || at.getLineNr() < 0
        ? ""
        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private byte[] bodyBytes() throws IOException {
    long declared = request.getLength();
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (declared > MAX_BODY_BYTES) {
        throw tooLarge(in);
      }
      var out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_BODY_BYTES) {
          throw tooLarge(in);
        }
      }
      bodyRead = true;
      return out.toByteArray();
    }
  }

  /**
   * How long an oversized body is read and dropped before answering 413. Closing a connection with
   * unread bytes in its receive buffer resets it, and the reset destroys the answer before the
   * client reads it; so, as web servers linger on close, the rest of the body is drained. The bound
   * is time, not bytes: a client streaming fast gets its 413 whatever it sends, and one that
   * trickles is cut off when this passes (or by the connector's idle timeout).
   */
  private static final long MAX_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

  private Problem tooLarge(InputStream in) throws IOException {
    long deadline = System.nanoTime() + MAX_DRAIN_NANOS;
    byte[] buf = new byte[65536];
    boolean ended = false;
    while (System.nanoTime() - deadline < 0) {
      if (in.read(buf) < 0) {
        ended = true;
        break;
      }
    }
    bodyRead = ended;
    return new Problem(
        413,
        "Content Too Large",
        "the request body is larger than "
            + MAX_BODY_BYTES
            + " bytes; split a batch into smaller ones",
        "body");
  }

  /** Whether the whole request body was read (a connection with unread bytes cannot be reused). */
  boolean bodyRead() {
    return bodyRead;
  }

  /** Answers with JSON. */
  public void reply(int status, JsonNode json) {
    replyBytes(status, "application/json", Json.write(json).getBytes(StandardCharsets.UTF_8));
  }

  /** Answers with a status and no body, such as 204 after a delete. */
  public void replyEmpty(int status) {
    replyBytes(status, null, null);
  }

  /** Answers with text of the given content type. */
  public void replyText(int status, String contentType, String text) {
    replyBytes(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  void replyBytes(int status, String contentType, byte[] bytes) {
    this.status = status;
    this.contentType = contentType;
    this.body = bytes;
  }

  /** Sets a response header. */
  public void responseHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Names what the request acted on, for the audit trail ("job 0190…", "schedule nightly"). */
  public void resource(String resource) {
    this.resource = resource;
  }

  String resource() {
    return resource;
  }

  /**
   * Starts a streamed answer (server-sent events): headers go out now, and each flush of the stream
   * reaches the client. The route returns when the stream ends.
   */
  public OutputStream stream(String contentType) throws IOException {
    status = 200;
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    stream = Content.Sink.asOutputStream(response);
    stream.flush();
    return stream;
  }

  boolean streamed() {
    return stream != null;
  }

  /** Ends a streamed answer: the last chunk goes out. */
  void endStream() throws IOException {
    stream.close();
  }

  int status() {
    return status;
  }

  String contentType() {
    return contentType;
  }

  byte[] body() {
    return body;
  }
}
