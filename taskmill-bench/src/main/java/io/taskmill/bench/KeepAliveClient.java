package io.taskmill.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The REST benchmark's load generator: blocking HTTP/1.1 keep-alive connections, each used by one
 * virtual thread at a time, with the request bytes written in one piece and the answer read by
 * Content-Length or chunks. The server and its load share this machine's cores, so the generator
 * must cost as little as wrk does; {@code java.net.http}'s selector and futures took about 30% of
 * the CPU in a profile of the single-submit phase, which the server then did not get.
 */
final class KeepAliveClient implements AutoCloseable {
  /** A server's answer: its status and body. */
  record Answer(int status, String method, String path, String body) {}

  /** Idle longer than this, a connection is not reused: well under servers' idle timeouts. */
  private static final long STALE_NANOS = Duration.ofSeconds(5).toNanos();

  private final String host;
  private final int port;
  private final String authorization;
  private final int timeoutMillis;
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

  /** Every connection not yet discarded, idle or in use, for {@link #close()}. */
  private final ConcurrentLinkedQueue<Connection> opened = new ConcurrentLinkedQueue<>();

  KeepAliveClient(URI base, String authorization, Duration timeout) {
    if (!"http".equals(base.getScheme())) {
      throw new IllegalArgumentException("the benchmark speaks plain http, not " + base);
    }
    this.host = base.getHost();
    this.port = base.getPort() < 0 ? 80 : base.getPort();
    this.authorization = authorization;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  Answer post(String path, String json) throws IOException {
    return exchange("POST", path, json.getBytes(StandardCharsets.UTF_8));
  }

  Answer get(String path) throws IOException {
    return exchange("GET", path, null);
  }

  /** Sends on an idle connection (or a new one) and gives it back once the answer is read. */
  private Answer exchange(String method, String path, byte[] body) throws IOException {
    Connection c = idle.poll();
    while (c != null && System.nanoTime() - c.lastUsed > STALE_NANOS) {
      discard(c); // the server may be closing it as idle: never send on it
      c = idle.poll();
    }
    if (c == null) {
      c = open();
    }
    var head =
        new StringBuilder(160)
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(host)
            .append(':')
            .append(port)
            .append("\r\nAuthorization: ")
            .append(authorization);
    if (body != null) {
      head.append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length);
    }
    byte[] headBytes = head.append("\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    byte[] request = headBytes;
    if (body != null) {
      request = new byte[headBytes.length + body.length];
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      System.arraycopy(body, 0, request, headBytes.length, body.length);
    }
    try {
      c.out.write(request);
      c.out.flush();
      Answer answer = c.read(method, path);
      if (c.reusable) {
        c.lastUsed = System.nanoTime();
        idle.add(c);
      } else {
        discard(c);
      }
      return answer;
    } catch (IOException | RuntimeException e) {
      discard(c);
      throw e;
    }
  }

  /** Closes a connection and forgets it, so {@link #opened} holds open connections only. */
  private void discard(Connection c) {
    opened.remove(c);
    c.close();
  }

  private Connection open() throws IOException {
    var socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(timeoutMillis);
    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
    var c = new Connection(socket);
    opened.add(c);
    return c;
  }

  @Override
  public void close() {
    opened.forEach(Connection::close);
  }

  /** One socket; its answers are read in order, one request at a time. */
  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    boolean reusable = true;
    long lastUsed = System.nanoTime();

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      this.out = socket.getOutputStream();
    }

    Answer read(String method, String path) throws IOException {
      String status = line();
      if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
        throw new IOException("not an HTTP/1.1 answer: " + status);
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        if (colon < 0) {
          throw new IOException("malformed header line: " + h);
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> reusable &= !value.equalsIgnoreCase("close");
          default -> {}
        }
      }
      byte[] body;
      if (chunked) {
        body = chunks();
      } else if (length >= 0) {
        body = in.readNBytes((int) length);
        if (body.length != length) {
          throw new EOFException(
              "the answer ended after " + body.length + " of " + length + " body bytes");
        }
      } else {
        reusable = false; // the body runs to the end of the connection
        body = in.readAllBytes();
      }
      return new Answer(code, method, path, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] chunks() throws IOException {
      var body = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while (!line().isEmpty()) {
            // trailers: none expected, skipped
          }
          return body.toByteArray();
        }
        byte[] chunk = in.readNBytes(n);
        if (chunk.length != n) {
          throw new EOFException("the answer ended inside a chunk");
        }
        body.write(chunk);
        line();
      }
    }

    /** One CRLF-ended line, without its end. */
    private String line() throws IOException {
      var s = new StringBuilder(64);
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("the server closed the connection mid-answer");
        }
        if (b == '\n') {
          int end = s.length();
          if (end > 0 && s.charAt(end - 1) == '\r') {
            s.setLength(end - 1);
          }
          return s.toString();
        }
        s.append((char) b);
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
