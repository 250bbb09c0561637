package io.taskmill.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConditionTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final JsonNode CONTEXT =
      JSON.readTree(
          """
          {"input": {"total": 120.50, "country": "NL", "express": null, "tags": ["gift"]},
           "reserve": {"items": [{"sku": "A-1", "qty": 2}, {"sku": "B-7", "qty": 1}]}}
          """);

  @Test
  void comparesNumbersByValueAndStringsByText() {
    assertThat(Condition.compare("input.total", "gt", 100).test(CONTEXT)).isTrue();
    assertThat(Condition.compare("input.total", "le", 120.5).test(CONTEXT)).isTrue();
    assertThat(Condition.compare("input.total", "eq", 120.5).test(CONTEXT)).isTrue();
    assertThat(Condition.compare("input.total", "lt", 100).test(CONTEXT)).isFalse();
    assertThat(Condition.compare("input.country", "eq", "NL").test(CONTEXT)).isTrue();
    assertThat(Condition.compare("input.country", "ge", "DE").test(CONTEXT)).isTrue();
    assertThat(Condition.compare("reserve.items[1].sku", "eq", "B-7").test(CONTEXT)).isTrue();
    assertThat(Condition.compare("reserve.items[0].qty", "in", List.of(1, 2)).test(CONTEXT))
        .isTrue();
  }

  @Test
  void aMissingValueEqualsNothingAndOrdersNothing() {
    assertThat(Condition.compare("input.missing", "eq", 1).test(CONTEXT)).isFalse();
    assertThat(Condition.compare("input.missing", "ne", 1).test(CONTEXT)).isTrue();
    assertThat(Condition.compare("input.missing", "gt", 1).test(CONTEXT)).isFalse();
    assertThat(Condition.compare("reserve.items[9].sku", "eq", "A-1").test(CONTEXT)).isFalse();
    assertThat(Condition.compare("input.country", "gt", 1).test(CONTEXT))
        .as("a string is not ordered against a number")
        .isFalse();
  }

  @Test
  void existsIsFalseForJsonNullAndMissingValues() {
    assertThat(Condition.exists("input.tags").test(CONTEXT)).isTrue();
    assertThat(Condition.exists("input.express").test(CONTEXT)).isFalse();
    assertThat(Condition.exists("nothing.here").test(CONTEXT)).isFalse();
  }

  @Test
  void combinesWithAndOrNot() {
    Condition big = Condition.compare("input.total", "gt", 100);
    Condition dutch = Condition.compare("input.country", "eq", "NL");
    Condition german = Condition.compare("input.country", "eq", "DE");
    assertThat(Condition.and(big, dutch).test(CONTEXT)).isTrue();
    assertThat(Condition.and(big, german).test(CONTEXT)).isFalse();
    assertThat(Condition.or(german, big).test(CONTEXT)).isTrue();
    assertThat(Condition.not(german).test(CONTEXT)).isTrue();
  }

  @Test
  void badConditionsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> Condition.compare("input.total", "bigger", 1))
        .hasMessageContaining("'bigger' is not an operator; use eq, ne, gt, ge, lt, le, in");
    assertThatThrownBy(() -> Condition.compare("input.total", "in", 1))
        .hasMessageContaining("'in' on 'input.total' needs an array");
    assertThatThrownBy(() -> Condition.compare("input.total", "gt", true))
        .hasMessageContaining("compares with a number or a string");
    assertThatThrownBy(() -> Condition.compare("input..total", "eq", 1))
        .hasMessageContaining("is not a path");
    assertThatThrownBy(() -> Condition.compare("items[x]", "eq", 1))
        .hasMessageContaining("an index is a whole number");
    assertThatThrownBy(() -> new Condition.And(List.of()))
        .hasMessageContaining("'and' needs at least one condition");
  }
}
