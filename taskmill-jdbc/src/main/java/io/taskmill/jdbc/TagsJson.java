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
