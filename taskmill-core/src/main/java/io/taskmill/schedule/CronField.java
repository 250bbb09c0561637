package io.taskmill.schedule;

import java.util.List;

/** The fields of a cron expression in the order they are written, with what each allows. */
enum CronField {
  SECOND("second", 0, 59, List.of()),
  MINUTE("minute", 0, 59, List.of()),
  HOUR("hour", 0, 23, List.of()),
  DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
  MONTH(
      "month",
      1,
      12,
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
  // 7 is Sunday too (Vixie cron); the names start at 0.
  DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

  final String label;
  final int min;
  final int max;

  /** Names for the values from the first value up ({@code JAN} = 1, {@code SUN} = 0). */
  final List<String> names;

  CronField(String label, int min, int max, List<String> names) {
    this.label = label;
    this.min = min;
    this.max = max;
    this.names = names;
  }

  /** What a user may write here, for error messages. */
  String allowed() {
    return switch (this) {
      case MONTH -> "1-12 or JAN-DEC";
      case DAY_OF_WEEK -> "0-7 or SUN-SAT (0 and 7 are Sunday)";
      default -> min + "-" + max;
    };
  }

  /** The value's name, if the field has names: {@code 2 -> FEB}. */
  String nameOf(int value) {
    if (names.isEmpty()) return Integer.toString(value);
    return names.get(this == DAY_OF_WEEK ? value % 7 : value - min);
  }
}
