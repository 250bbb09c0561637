package io.taskmill.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Tags as a JSON array of strings in one column. Hand-written because the store needs nothing else
 * from a JSON library and tags are always a flat list of strings.
 */
final class TagsJson {
  private TagsJson() {}

  static String encode(List<String> tags) {
    var out = new StringBuilder("[");
    for (int i = 0; i < tags.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"');
      for (char c : tags.get(i).toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
    return out.append(']').toString();
  }

  /**
   * A regular expression that matches the {@link #encode encoded} tags exactly when {@code tag} is
   * one of them, for the stores' {@code listJobs}. It parses the whole array, element by element
   * ({@code "…"} where a quote or backslash inside is always escaped), so the tag can only match a
   * whole element: {@code "a"} never matches inside {@code "a,b"}, {@code "x\"a"} or the seam of
   * {@code "a,"} and {@code ",b"}, as a substring search would. The same text is read by Java's
   * regex engine (H2 {@code REGEXP_LIKE}) and PostgreSQL's ({@code ~}): it uses only syntax both
   * read alike, and escapes every ASCII character that is not a letter or digit with a backslash,
   * which both read as that character.
   */
  static String containsPattern(String tag) {
    String element = encode(List.of(tag));
    element = element.substring(1, element.length() - 1); // "…" with its quotes
    var literal = new StringBuilder();
    for (char c : element.toCharArray()) {
      if (c < 0x80 && !Character.isLetterOrDigit(c)) {
        literal.append('\\');
      }
      literal.append(c);
    }
    String any = "\"(?:[^\"\\\\]|\\\\.)*\"";
    return "^\\[(?:" + any + ",)*" + literal + "(?:," + any + ")*\\]$";
  }

  static List<String> decode(String json) {
    var tags = new ArrayList<String>();
    if (json == null) {
      return tags;
    }
    int i = json.indexOf('[') + 1;
    while (i > 0 && i < json.length()) {
      int open = json.indexOf('"', i);
      if (open < 0) {
        break;
      }
      var tag = new StringBuilder();
      int j = open + 1;
      for (; j < json.length() && json.charAt(j) != '"'; j++) {
        char c = json.charAt(j);
        if (c != '\\') {
          tag.append(c);
          continue;
        }
        char e = json.charAt(++j);
        switch (e) {
          case 'n' -> tag.append('\n');
          case 'r' -> tag.append('\r');
          case 't' -> tag.append('\t');
          case 'b' -> tag.append('\b');
          case 'f' -> tag.append('\f');
          case 'u' -> {
            tag.append((char) Integer.parseInt(json.substring(j + 1, j + 5), 16));
            j += 4;
          }
          default -> tag.append(e); // \" \\ \/
        }
      }
      tags.add(tag.toString());
      i = j + 1;
    }
    return tags;
  }
}
