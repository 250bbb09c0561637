package io.taskmill.server.http;

/**
 * Makes caller-supplied text safe to put in a log line or a problem message: control characters
 * (CR, LF, ESC for ANSI sequences) are escaped, so no one can forge log lines (S13,
 * docs/server.md).
 */
public final class LogText {
  private static final int MAX = 200;

  private LogText() {}

  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    var out = new StringBuilder(Math.min(text.length(), MAX) + 8);
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > MAX) {
      out.append('…');
    }
    return out.toString();
  }
}
