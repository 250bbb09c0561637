package io.taskmill.access;

import java.time.Instant;
import java.util.List;

/**
 * An API key as stored: its public id, a name for people, its role, the queues it is limited to,
 * and the SHA-256 of its secret (never the secret itself). A revoked key is kept, so the audit
 * trail's key ids still resolve.
 *
 * @param id the public id, {@value ApiKeys#ID_LENGTH} characters of lower-case base32; also part of
 *     the secret, so a presented secret names its key
 * @param name what the key is for, 1 to {@value ApiKeys#MAX_NAME_LENGTH} printable characters
 * @param role what the key may do
 * @param secretHash {@link ApiKeys#hash(String)} of the secret: 64 lower-case hex digits
 * @param createdAt when it was created, by the engine's clock
 * @param revokedAt when it was revoked, or null while it is active
 * @param createdBy who created it: the creating key's id, or a description such as {@code "first
 *     start"} or {@code "cli"}; 1 to {@value #MAX_CREATED_BY_LENGTH} characters
 * @param queues the only queues whose jobs, queues and schedules the key may see and act on,
 *     sorted; null for every queue (an unscoped key). See {@link ApiKeys#requireValidQueues}
 */
public record ApiKey(
    String id,
    String name,
    Role role,
    String secretHash,
    Instant createdAt,
    Instant revokedAt,
    String createdBy,
    List<String> queues) {

  /** The longest {@link #createdBy()} accepted. */
  public static final int MAX_CREATED_BY_LENGTH = 200;

  /** Checks every field, so a key that reaches a store is well formed. */
  public ApiKey {
    if (!ApiKeys.isWellFormedId(id)) {
      throw new IllegalArgumentException(
          "API key id "
              + quoted(id)
              + " is not "
              + ApiKeys.ID_LENGTH
              + " characters of lower-case base32 (a-z, 2-7); "
              + "create keys with ApiKeys.generate");
    }
    ApiKeys.requireValidName(name);
    if (role == null) {
      throw new IllegalArgumentException(
          "API key " + id + " has no role: use one of " + Role.allowedText());
    }
    if (!ApiKeys.isWellFormedHash(secretHash)) {
      throw new IllegalArgumentException(
          "API key "
              + id
              + ": secretHash must be the SHA-256 of "
              + "the secret as 64 lower-case hex digits (ApiKeys.hash), never the secret itself");
    }
    if (createdAt == null) {
      throw new IllegalArgumentException("API key " + id + " has no createdAt");
    }
    if (createdBy == null || createdBy.isBlank() || createdBy.length() > MAX_CREATED_BY_LENGTH) {
      throw new IllegalArgumentException(
          "API key "
              + id
              + ": createdBy "
              + quoted(createdBy)
              + " must be 1 to "
              + MAX_CREATED_BY_LENGTH
              + " characters, not blank (the creating "
              + "key's id, or e.g. \"first start\")");
    }
    // Sorted, so a key reads back from a store equal to the one written, whatever the order given.
    queues = queues == null ? null : ApiKeys.requireValidQueues(queues).stream().sorted().toList();
  }

  /** An unscoped key: it may use every queue. */
  public ApiKey(
      String id,
      String name,
      Role role,
      String secretHash,
      Instant createdAt,
      Instant revokedAt,
      String createdBy) {
    this(id, name, role, secretHash, createdAt, revokedAt, createdBy, null);
  }

  /** Whether the key is limited to some queues ({@link #queues()} is not null). */
  public boolean scoped() {
    return queues != null;
  }

  /** Whether the key may see and act on jobs, schedules and the queue named {@code queue}. */
  public boolean mayUse(String queue) {
    return queues == null || queues.contains(queue);
  }

  /** Whether the key still authenticates: it was never revoked. */
  public boolean active() {
    return revokedAt == null;
  }

  /** Whether a request with this key may do what needs {@code required}: active and allowed. */
  public boolean allows(Role required) {
    return active() && role.allows(required);
  }

  private static String quoted(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
