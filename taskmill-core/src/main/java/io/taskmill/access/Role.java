package io.taskmill.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API key may do. {@link #VIEWER} &lt; {@link #OPERATOR} &lt; {@link #ADMIN} form a ladder:
 * each allows what the roles below it allow. {@link #WORKER} stands apart: it is the role of a
 * remote node (claiming and completing jobs), allows only node endpoints, and is allowed by no
 * other role, not even {@link #ADMIN}.
 *
 * <p>Why admin does not imply worker: a worker key acts as a node, holding leases and committing
 * outcomes, which is a different principal from a person or script operating the cluster. Keeping
 * the two apart means a leaked worker key cannot read or change anything else, an admin key used in
 * a browser cannot pose as a node, and the audit trail never mixes the two kinds of caller. An
 * operator who wants a worker creates a worker key.
 */
public enum Role {
  /** Reads jobs, schedules, queues, nodes and the dashboard; changes nothing. */
  VIEWER,
  /** A viewer that also submits, cancels and retries jobs, pauses queues and edits schedules. */
  OPERATOR,
  /** An operator that also manages API keys and reads the audit trail. */
  ADMIN,
  /** A remote node: only the node endpoints (claim, renew, complete), nothing a person uses. */
  WORKER;

  /** Whether a key with this role may do what needs {@code required}. */
  public boolean allows(Role required) {
    if (required == null) {
      throw new IllegalArgumentException("required role is null: name the role an action needs");
    }
    // Exhaustive, with no default: a new role must be placed here explicitly.
    return switch (this) {
      case VIEWER -> required == VIEWER;
      case OPERATOR -> required == VIEWER || required == OPERATOR;
      case ADMIN -> required == VIEWER || required == OPERATOR || required == ADMIN;
      case WORKER -> required == WORKER;
    };
  }

  /** The role's name as users write it: lower case ({@code "operator"}). */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The role written as {@link #text()}: {@code viewer}, {@code operator}, {@code admin} or {@code
   * worker}.
   *
   * @throws IllegalArgumentException naming the text and the allowed values
   */
  public static Role parse(String text) {
    for (Role role : values()) {
      if (role.text().equals(text)) {
        return role;
      }
    }
    String hint = "";
    for (Role role : values()) {
      if (text != null && role.text().equalsIgnoreCase(text.strip())) {
        hint = " (did you mean '" + role.text() + "'?)";
      }
    }
    throw new IllegalArgumentException("unknown role " + (text == null ? "null" : "'" + text + "'")
        + hint + ": use one of " + allowedText());
  }

  /** The allowed role names, comma-separated, for messages. */
  static String allowedText() {
    return Arrays.stream(values()).map(Role::text).collect(Collectors.joining(", "));
  }
}
