package io.taskmill.access;

import java.time.Instant;

/**
 * One line of the audit trail: who did what to which resource, and how it ended. Entries are only
 * ever appended; the store numbers them.
 *
 * <p>The free-text fields ({@code resource}, {@code remoteAddress}, {@code requestId}, {@code
 * detail}) often carry what a caller sent, and a request must be audited whatever it sent, so they
 * are cut to their column's length (ending in {@code …}) and NUL characters (which PostgreSQL
 * cannot store) become U+FFFD, instead of being refused. The fields the server itself chooses
 * ({@code action}, {@code outcome}, the key) are checked strictly.
 *
 * @param seq the store's number for the entry, increasing in append order; 0 before it is appended
 *     (a store ignores the value it is given)
 * @param at when it happened, by the engine's clock
 * @param keyId the calling key's id, or null when no well-formed key was presented
 * @param role the calling key's role, or null when no key was authenticated
 * @param action what was attempted, e.g. {@code job.cancel} or {@code auth}; 1 to {@value
 *     #MAX_ACTION_LENGTH} characters
 * @param resource what it was attempted on, e.g. a job id or a path; null when none
 * @param outcome how it ended, e.g. {@code ok}, {@code denied}, {@code failed}; 1 to {@value
 *     #MAX_OUTCOME_LENGTH} characters
 * @param remoteAddress the caller's address, or null
 * @param requestId the request's id, to find it in logs; or null
 * @param detail anything else worth keeping, e.g. an error message; or null
 */
public record AuditEntry(
    long seq,
    Instant at,
    String keyId,
    Role role,
    String action,
    String resource,
    String outcome,
    String remoteAddress,
    String requestId,
    String detail) {

  /** The longest action accepted. */
  public static final int MAX_ACTION_LENGTH = 100;

  /** The longest outcome accepted. */
  public static final int MAX_OUTCOME_LENGTH = 50;

  /** Resources longer than this are cut. */
  public static final int MAX_RESOURCE_LENGTH = 1000;

  /** Remote addresses (a forwarded-for chain, say) longer than this are cut. */
  public static final int MAX_REMOTE_ADDRESS_LENGTH = 200;

  /** Request ids longer than this are cut. */
  public static final int MAX_REQUEST_ID_LENGTH = 100;

  /** Details longer than this are cut. */
  public static final int MAX_DETAIL_LENGTH = 4000;

  /** Checks what the server chooses, and fits what callers send into the columns. */
  public AuditEntry {
    if (seq < 0) {
      throw new IllegalArgumentException(
          "audit seq " + seq + " is negative: pass 0 for an entry " + "not yet appended");
    }
    if (at == null) {
      throw new IllegalArgumentException("audit entry has no time (at)");
    }
    if (keyId != null && !ApiKeys.isWellFormedId(keyId)) {
      throw new IllegalArgumentException(
          "audit keyId '"
              + keyId
              + "' is not a key id: pass the "
              + "id of ApiKeys.idOf(presented secret), or null when none was presented");
    }
    if (role != null && keyId == null) {
      throw new IllegalArgumentException(
          "audit entry has role "
              + role.text()
              + " but no keyId: a role comes from an authenticated key");
    }
    requireText("action", action, MAX_ACTION_LENGTH);
    requireText("outcome", outcome, MAX_OUTCOME_LENGTH);
    resource = fit(resource, MAX_RESOURCE_LENGTH);
    remoteAddress = fit(remoteAddress, MAX_REMOTE_ADDRESS_LENGTH);
    requestId = fit(requestId, MAX_REQUEST_ID_LENGTH);
    detail = fit(detail, MAX_DETAIL_LENGTH);
  }

  /** This entry numbered {@code seq}, as a store returns it. */
  public AuditEntry withSeq(long seq) {
    return new AuditEntry(
        seq, at, keyId, role, action, resource, outcome, remoteAddress, requestId, detail);
  }

  private static void requireText(String field, String value, int max) {
    if (value == null
        || value.isBlank()
        || value.length() > max
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "audit "
              + field
              + " "
              + (value == null ? "null" : "'" + value + "'")
              + " must be 1 to "
              + max
              + " printable characters, not blank");
    }
  }

  /** {@code text} without NULs, cut to {@code max} characters (never inside a surrogate pair). */
  private static String fit(String text, int max) {
    if (text == null) {
      return null;
    }
    String clean = text.replace('\0', '\uFFFD');
    if (clean.length() <= max) {
      return clean;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(clean.charAt(end - 1))) {
      end--;
    }
    return clean.substring(0, end) + "…";
  }
}
