package io.taskmill.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A random valid-looking cron expression together with the values each field stands for, worked out
 * here by plain loops, independently of {@link CronParser}, so tests can check what {@link
 * CronExpression} makes of the text.
 *
 * @param text the expression
 * @param seconds .. weekdays the plain values of each field (bit n = value n; weekdays 0-6)
 * @param lastDay day-of-month {@code L}
 * @param nthWeekdays day-of-week {@code d#k} as bit {@code d * 5 + k - 1}
 * @param lastWeekdays day-of-week {@code dL} as bit {@code d}
 */
record RandomCron(
    String text,
    long seconds,
    long minutes,
    long hours,
    long daysOfMonth,
    boolean lastDay,
    long months,
    long weekdays,
    long nthWeekdays,
    long lastWeekdays,
    boolean dayOfMonthStar,
    boolean dayOfWeekStar) {

  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /** Which syntax to draw from. */
  enum Dialect {
    /**
     * What cron-utils evaluates as we do: no {@code L}, {@code #}, {@code ?}; day-of-month and
     * day-of-week never both restricted when one of them starts with {@code *}.
     */
    CRON_UTILS,
    /** Everything {@link CronExpression} accepts. */
    FULL
  }

  static RandomCron generate(SplittableRandom r, boolean withSeconds, Dialect dialect) {
    boolean full = dialect == Dialect.FULL;
    var second = withSeconds ? field(r, 0, 59, null, false, full) : new Field("0", 1L);
    var minute = field(r, 0, 59, null, false, full);
    var hour = field(r, 0, 23, null, false, full);
    var month = field(r, 1, 12, MONTHS, false, full);
    Field dom;
    Field dow;
    int days = r.nextInt(4);
    if (days == 0) {
      dom = star(r, full);
      dow = star(r, full);
    } else if (days == 1) {
      dom = star(r, full);
      dow = withSpecials(r, field(r, 0, 7, DAYS, true, full), true, full);
    } else if (days == 2) {
      dom = withSpecials(r, field(r, 1, 31, null, false, full), false, full);
      dow = star(r, full);
    } else {
      // Both restricted (ORed), or in FULL also a */n against a restriction (ANDed).
      dom = withSpecials(r, field(r, 1, 31, null, false, full), false, full);
      dow = withSpecials(r, field(r, 0, 7, DAYS, true, full), true, full);
      if (!full) {
        while (dom.text.startsWith("*")) dom = field(r, 1, 31, null, false, full);
        while (dow.text.startsWith("*")) dow = field(r, 0, 7, DAYS, true, full);
      }
    }
    var fields = new ArrayList<String>();
    if (withSeconds) fields.add(second.text);
    fields.addAll(List.of(minute.text, hour.text, dom.text, month.text, dow.text));
    String text = String.join(" ", fields);
    if (full && r.nextInt(4) == 0) text = text.toLowerCase(Locale.ROOT);
    return new RandomCron(
        text,
        second.values,
        minute.values,
        hour.values,
        dom.values,
        dom.lastDay,
        month.values,
        dow.values,
        dow.nth,
        dow.lastWeekdays,
        dom.text.startsWith("*") || dom.text.equals("?"),
        dow.text.startsWith("*") || dow.text.equals("?"));
  }

  /** Does the expression fire at this wall time (whole seconds)? */
  boolean matches(LocalDateTime t) {
    return has(seconds, t.getSecond())
        && has(minutes, t.getMinute())
        && has(hours, t.getHour())
        && has(months, t.getMonthValue())
        && firesOn(t.toLocalDate());
  }

  boolean firesOn(LocalDate date) {
    if (!has(months, date.getMonthValue())) return false;
    int day = date.getDayOfMonth();
    int length = date.lengthOfMonth();
    int weekday = date.getDayOfWeek().getValue() % 7;
    boolean byDate = has(daysOfMonth, day) || lastDay && day == length;
    int occurrence = (day - 1) / 7 + 1;
    boolean byWeekday =
        has(weekdays, weekday)
            || has(nthWeekdays, weekday * 5 + occurrence - 1)
            || has(lastWeekdays, weekday) && day + 7 > length;
    return dayOfMonthStar || dayOfWeekStar ? byDate && byWeekday : byDate || byWeekday;
  }

  private static boolean has(long bits, int value) {
    return (bits >>> value & 1) != 0;
  }

  private record Field(String text, long values, boolean lastDay, long nth, long lastWeekdays) {
    Field(String text, long values) {
      this(text, values, false, 0, 0);
    }
  }

  private static Field star(SplittableRandom r, boolean full) {
    if (full && r.nextInt(3) == 0) return new Field("?", weekAndMonthDays());
    return new Field("*", weekAndMonthDays());
  }

  /** Every day-of-month (1-31) and every weekday (0-6): a star means both at once here. */
  private static long weekAndMonthDays() {
    return -1L;
  }

  /** A list of 1-3 elements: n, a-b, * /n, a/n, a-b/n; sometimes the whole field is *. */
  private static Field field(
      SplittableRandom r, int min, int max, String[] names, boolean weekday, boolean full) {
    int top = weekday ? 6 : max;
    if (r.nextInt(6) == 0) return new Field("*", range(min, top, 1, weekday));
    int count = 1 + (r.nextInt(4) == 0 ? r.nextInt(2) + 1 : 0);
    var parts = new ArrayList<String>();
    long values = 0;
    for (int i = 0; i < count; i++) {
      int kind = r.nextInt(5);
      int a = r.nextInt(min, max + 1);
      int b = r.nextInt(a, max + 1);
      // cron-utils refuses a weekday step of 7 ("Period 0 not in range").
      int step = 1 + r.nextInt(Math.min(15, top - min + (weekday && !full ? 0 : 1)));
      switch (kind) {
        case 0 -> {
          parts.add(name(a, names, r, full));
          values |= range(a, a, 1, weekday);
        }
        case 1 -> {
          parts.add(name(a, names, r, full) + "-" + name(b, names, r, full));
          values |= range(a, b, 1, weekday);
        }
        case 2 -> {
          parts.add("*/" + step);
          values |= range(min, top, step, weekday);
        }
        case 3 -> {
          // cron-utils turns 7/n into 0/n (Sunday, Wednesday, Saturday for 7/3); cronie's is 7.
          if (weekday && !full) a = Math.min(a, 6);
          parts.add(a + "/" + step);
          values |= range(a, max, step, weekday);
        }
        default -> {
          parts.add(a + "-" + b + "/" + step);
          values |= range(a, b, step, weekday);
        }
      }
    }
    return new Field(String.join(",", parts), values);
  }

  /** Adds {@code L} (day-of-month) or {@code nL} / {@code d#k} (day-of-week) elements. */
  private static Field withSpecials(
      SplittableRandom r, Field field, boolean weekday, boolean full) {
    if (!full || r.nextInt(3) != 0) return field;
    if (!weekday) {
      return r.nextBoolean()
          ? new Field("L", 0, true, 0, 0)
          : new Field(field.text + ",L", field.values, true, 0, 0);
    }
    int day = r.nextInt(0, 8);
    if (r.nextBoolean()) {
      return new Field(
          field.text + "," + name(day, DAYS, r, full) + "L",
          field.values,
          false,
          0,
          1L << (day % 7));
    }
    int k = r.nextInt(1, 6);
    var special =
        new Field(name(day, DAYS, r, full) + "#" + k, 0, false, 1L << (day % 7 * 5 + k - 1), 0);
    return r.nextBoolean()
        ? special
        : new Field(field.text + "," + special.text, field.values, false, special.nth, 0);
  }

  private static String name(int value, String[] names, SplittableRandom r, boolean full) {
    // 7 is Sunday too, but SUN is 0: "6-SUN" would be a reversed range. cron-utils reads SUN as
    // 7 in ranges ("SUN-3" is 7-3 to it), so it gets no SUN at all.
    boolean sunday = names == DAYS && value % 7 == 0;
    if (names == null || value == 7 || sunday && !full || r.nextInt(3) != 0) {
      return Integer.toString(value);
    }
    return names == MONTHS ? MONTHS[value - 1] : DAYS[value % 7];
  }

  private static long range(int from, int to, int step, boolean weekday) {
    long bits = 0;
    for (int v = from; v <= to; v += step) bits |= 1L << (weekday ? v % 7 : v);
    return bits;
  }
}
