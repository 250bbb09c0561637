package io.taskmill.access;

import java.time.Instant;

/**
 * Which audit entries to list, newest first. Null filters match everything; pages continue with
 * {@code beforeSeq} set to the last seq of the previous page.
 *
 * @param keyId only this key's entries, or null
 * @param action only this action, or null
 * @param from only entries at or after this time, or null
 * @param to only entries before this time, or null
 * @param beforeSeq only entries numbered below this (the cursor), or null for the newest
 * @param limit at most this many, 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(
    String keyId, String action, Instant from, Instant to, Long beforeSeq, int limit) {

  /** The largest page a query may ask for. */
  public static final int MAX_LIMIT = 500;

  /** Checks the page size, the cursor and the time range. */
  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "audit query limit "
              + limit
              + " is out of range: use 1 to "
              + MAX_LIMIT
              + " and page on with beforeSeq");
    }
    if (beforeSeq != null && beforeSeq < 1) {
      throw new IllegalArgumentException(
          "audit query beforeSeq "
              + beforeSeq
              + " is not a seq: use the last seq of the previous page, or null for the newest");
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException(
          "audit query from "
              + from
              + " is after to "
              + to
              + ": swap them (from is inclusive, to exclusive)");
    }
  }

  /** The newest {@code limit} entries, unfiltered. */
  public static AuditQuery latest(int limit) {
    return new AuditQuery(null, null, null, null, null, limit);
  }

  /** This query's next page: the entries numbered below {@code lastSeq}. */
  public AuditQuery before(long lastSeq) {
    return new AuditQuery(keyId, action, from, to, lastSeq, limit);
  }
}
