package io.taskmill.access;

import static io.taskmill.access.Role.ADMIN;
import static io.taskmill.access.Role.OPERATOR;
import static io.taskmill.access.Role.VIEWER;
import static io.taskmill.access.Role.WORKER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleTest {
  /** For each role, every role it allows: the whole matrix, so a change is a visible diff. */
  private static final Map<Role, Set<Role>> ALLOWS =
      Map.of(
          VIEWER, Set.of(VIEWER),
          OPERATOR, Set.of(VIEWER, OPERATOR),
          ADMIN, Set.of(VIEWER, OPERATOR, ADMIN),
          WORKER, Set.of(WORKER));

  @Test
  void allowsExactlyTheExpectedMatrix() {
    var wrong = new ArrayList<String>();
    for (Role holder : Role.values()) {
      for (Role required : Role.values()) {
        boolean expected = ALLOWS.get(holder).contains(required);
        if (holder.allows(required) != expected) {
          wrong.add(holder + (expected ? " should allow " : " should not allow ") + required);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void adminDoesNotImplyWorkerAndWorkerAllowsNothingElse() {
    assertThat(ADMIN.allows(WORKER)).isFalse();
    assertThat(WORKER.allows(VIEWER)).isFalse();
  }

  @Test
  void everyRoleHasARowInTheMatrix() {
    assertThat(ALLOWS.keySet()).containsExactlyInAnyOrder(Role.values());
  }

  @Test
  void parsesLowerCaseText() {
    for (Role role : Role.values()) {
      assertThat(Role.parse(role.text())).isEqualTo(role);
    }
    assertThat(List.of(Role.values()))
        .extracting(Role::text)
        .containsExactly("viewer", "operator", "admin", "worker");
  }

  @Test
  void refusesOtherTextListingTheAllowedValues() {
    assertThatThrownBy(() -> Role.parse("root"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown role 'root': use one of viewer, operator, admin, worker");
    assertThatThrownBy(() -> Role.parse("Admin"))
        .hasMessageContaining("did you mean 'admin'?")
        .hasMessageContaining("use one of viewer, operator, admin, worker");
    assertThatThrownBy(() -> Role.parse(null)).hasMessageContaining("unknown role null");
    assertThatThrownBy(() -> Role.parse("")).hasMessageContaining("unknown role ''");
  }

  @Test
  void aNullRequirementIsAProgrammingError() {
    assertThatThrownBy(() -> ADMIN.allows(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
