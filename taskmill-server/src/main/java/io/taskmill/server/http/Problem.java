package io.taskmill.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error a caller can fix, answered as an RFC 9457 {@code application/problem+json} body: the
 * status, a short title, a detail that says what is wrong and how to fix it, and the offending
 * field when there is one.
 */
public final class Problem extends RuntimeException {
  private final int status;
  private final String title;
  private final String field;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public Problem(int status, String title, String detail, String field) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.field = field;
  }

  /** 400: the request is malformed (syntax, types, limits). */
  public static Problem badRequest(String detail, String field) {
    return new Problem(400, "Bad Request", detail, field);
  }

  /** 422: well-formed, but the values are not acceptable (unknown type, bad cron, ...). */
  public static Problem unprocessable(String detail, String field) {
    return new Problem(422, "Unprocessable Content", detail, field);
  }

  /** 404: no such resource. */
  public static Problem notFound(String detail) {
    return new Problem(404, "Not Found", detail, null);
  }

  /** 409: the resource is not in a state that allows this. */
  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail, null);
  }

  /** An extra response header, such as {@code Allow} or {@code Retry-After}. */
  public Problem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  /** The request field at fault (a JSON pointer-like path, a query or header name), or null. */
  public String field() {
    return field;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
