package io.taskmill.job;

import java.util.regex.Pattern;

/**
 * The rules for job type, queue, lock and schedule names, in one place so every entry point says
 * the same.
 */
public final class Names {
  /** What a job type must look like. */
  public static final String TYPE_RULE =
      "a job type is lower-case words joined by dots, at least two, like 'media.resize'"
          + " (each word starts with a letter and holds a-z, 0-9, '_' or '-'; at most 200 characters)";

  /** What a queue name must look like. */
  public static final String QUEUE_RULE =
      "a queue name holds a-z, 0-9, '_', '-' or '.', starts with a letter and is at most 100"
          + " characters, like 'media' or 'mail-bulk'";

  /** What a lock name must look like. */
  public static final String LOCK_RULE =
      "a lock name holds letters, digits, '_', '-', '.', ':', '/' or '@', starts with a letter or"
          + " digit and is at most 200 characters, like 'folder-A' or 'folder:/media/2024'"
          + " (hash names that need other characters)";

  /** What a schedule name must look like. */
  public static final String SCHEDULE_RULE =
      "a schedule name holds letters, digits, '_', '-', '.' or ':', starts with a letter or digit"
          + " and is at most 200 characters, like 'nightly-pack' or 'reports.hourly'";

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+");
  private static final Pattern QUEUE = Pattern.compile("[a-z][a-z0-9_.-]*");
  private static final Pattern LOCK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@-]*");
  private static final Pattern SCHEDULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*");

  private Names() {}

  /** Whether {@code s} is a valid job type. */
  public static boolean isJobType(String s) {
    return s != null && s.length() <= 200 && TYPE.matcher(s).matches();
  }

  /** Whether {@code s} is a valid queue name. */
  public static boolean isQueueName(String s) {
    return s != null && s.length() <= 100 && QUEUE.matcher(s).matches();
  }

  /** Whether {@code s} is a valid lock name. */
  public static boolean isLockName(String s) {
    return s != null && s.length() <= 200 && LOCK.matcher(s).matches();
  }

  /** Whether {@code s} is a valid schedule name. */
  public static boolean isScheduleName(String s) {
    return s != null && s.length() <= 200 && SCHEDULE.matcher(s).matches();
  }

  /** The namespace part of a valid job type: everything before the last dot. */
  public static String namespaceOf(String type) {
    return type.substring(0, type.lastIndexOf('.'));
  }
}
