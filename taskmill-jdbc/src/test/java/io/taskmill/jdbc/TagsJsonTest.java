package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TagsJsonTest {

  @Test
  void roundTripsAwkwardTags() {
    List<String> tags = List.of("", "plain", "q\"uote", "back\\slash", "tab\tnl\n", "ctl\u0001",
        "ünï ✓", "[,]");

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
}
