package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TagsJsonTest {

  @Test
  void roundTripsAwkwardTags() {
    List<String> tags =
        List.of("", "plain", "q\"uote", "back\\slash", "tab\tnl\n", "ctl\u0001", "ünï ✓", "[,]");

    String json = TagsJson.encode(tags);

    assertThat(TagsJson.decode(json)).isEqualTo(tags);
  }

  @Test
  void encodesAsAJsonArray() {
    assertThat(TagsJson.encode(List.of())).isEqualTo("[]");
    assertThat(TagsJson.encode(List.of("a", "b\"c"))).isEqualTo("[\"a\",\"b\\\"c\"]");
    assertThat(TagsJson.decode("[]")).isEmpty();
    assertThat(TagsJson.decode("[ \"x\" , \"y\\u0041\" ]")).containsExactly("x", "yA");
  }

  @Test
  void theContainsPatternMatchesWholeTagsOnly() {
    List<String> tags = List.of("a,", ",b", "x\"a", "c\\");
    String json = TagsJson.encode(tags);

    for (String tag : tags) {
      assertThat(matches(json, tag)).as(tag).isTrue();
    }
    for (String part : List.of(",", "a", "b", "x", "\"", "\\", "a,\",\",b", "c")) {
      assertThat(matches(json, part)).as(part).isFalse();
    }
    assertThat(matches("[]", "a")).isFalse();
  }

  @Test
  void theContainsPatternEscapesRegexSyntax() {
    assertThat(TagsJson.containsPattern("a.b*")).contains("a\\.b\\*");
    assertThat(matches(TagsJson.encode(List.of("axb")), "a.b")).isFalse();
    assertThat(matches(TagsJson.encode(List.of("(x)|[y]{2}^$")), "(x)|[y]{2}^$")).isTrue();
  }

  /** How H2's REGEXP_LIKE reads it (PostgreSQL's ~ is checked by the store contract). */
  private static boolean matches(String json, String tag) {
    return Pattern.compile(TagsJson.containsPattern(tag)).matcher(json).find();
  }
}
