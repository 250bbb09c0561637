package io.taskmill.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the text of a cron expression into a {@link CronExpression}, or into an {@link
 * InvalidScheduleException} whose message points at the offending token with a caret line.
 */
final class CronParser {
  private static final Map<String, String> MACROS = new LinkedHashMap<>();

  static {
    MACROS.put("@yearly", "0 0 1 1 *");
    MACROS.put("@annually", "0 0 1 1 *");
    MACROS.put("@monthly", "0 0 1 * *");
    MACROS.put("@weekly", "0 0 * * 0");
    MACROS.put("@daily", "0 0 * * *");
    MACROS.put("@midnight", "0 0 * * *");
    MACROS.put("@hourly", "0 * * * *");
  }

  private static final String FIVE = "5 fields (minute hour day-of-month month day-of-week)";
  private static final String SIX =
      "6 with seconds first (second minute hour day-of-month month day-of-week)";
  private static final String MACRO_NAMES =
      "@yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly";

  /** The expression as shown in messages: every whitespace character a space, so carets align. */
  private final String shown;

  private CronParser(String text) {
    var b = new StringBuilder(text.length());
    text.chars().forEach(c -> b.append(Character.isWhitespace(c) ? ' ' : (char) c));
    this.shown = b.toString();
  }

  static CronExpression parse(String text) {
    if (text == null) {
      throw new InvalidScheduleException(
          "cron expression is null: expected " + FIVE + ", " + SIX + ", or a macro such as @daily");
    }
    return new CronParser(text).expression();
  }

  /** A whitespace-separated word of the input and where it starts. */
  private record Word(String text, int at) {}

  private CronExpression expression() {
    List<Word> words = words();
    if (words.isEmpty()) {
      throw error(
          "it is empty: expected " + FIVE + ", " + SIX + ", or a macro such as @daily",
          span(shown.length(), 1));
    }
    Word first = words.getFirst();
    if (first.text.startsWith("@")) return macro(words);
    if (words.size() != 5 && words.size() != 6) {
      String problem = "expected " + FIVE + " or " + SIX + ", found " + words.size();
      if (words.size() == 7) problem += " (a year field is not supported)";
      if (words.size() < 5) throw error(problem, span(shown.stripTrailing().length(), 1));
      Word extra = words.get(6);
      Word last = words.getLast();
      throw error(problem, span(extra.at, last.at + last.text.length() - extra.at));
    }
    boolean withSeconds = words.size() == 6;
    var fields = new FieldBits[CronField.values().length];
    fields[CronField.SECOND.ordinal()] = FieldBits.single(0);
    int skip = withSeconds ? 0 : 1;
    for (int i = 0; i < words.size(); i++) {
      CronField field = CronField.values()[i + skip];
      fields[field.ordinal()] = field(field, i + 1, words.get(i));
    }
    var normalized = new ArrayList<String>();
    for (Word w : words) normalized.add(w.text.toUpperCase(Locale.ROOT));
    Word hour = words.get(CronField.HOUR.ordinal() - skip);
    Word dom = words.get(CronField.DAY_OF_MONTH.ordinal() - skip);
    Word month = words.get(CronField.MONTH.ordinal() - skip);
    Word dow = words.get(CronField.DAY_OF_WEEK.ordinal() - skip);
    var expression =
        new CronExpression(
            String.join(" ", normalized),
            fields[CronField.SECOND.ordinal()].bits,
            fields[CronField.MINUTE.ordinal()].bits,
            fields[CronField.HOUR.ordinal()].bits,
            fields[CronField.DAY_OF_MONTH.ordinal()].bits,
            fields[CronField.DAY_OF_MONTH.ordinal()].lastDay,
            fields[CronField.MONTH.ordinal()].bits,
            fields[CronField.DAY_OF_WEEK.ordinal()].bits,
            fields[CronField.DAY_OF_WEEK.ordinal()].nthWeekdays,
            fields[CronField.DAY_OF_WEEK.ordinal()].lastWeekdays,
            isUnrestricted(dom.text),
            isUnrestricted(dow.text),
            followsRealTime(hour.text));
    mustFireSomeday(expression, skip, dom, month, dow);
    return expression;
  }

  /**
   * Vixie cron's rule for combining the day fields: a field written as {@code *}, {@code *}/n or
   * {@code ?} does not restrict the day, so the other field alone decides.
   */
  private static boolean isUnrestricted(String field) {
    return field.startsWith("*") || field.equals("?");
  }

  /** Hour {@code *} or with a step: the job runs on real time across a fall-back overlap. */
  private static boolean followsRealTime(String hourField) {
    return hourField.startsWith("*") || hourField.contains("/");
  }

  private CronExpression macro(List<Word> words) {
    Word word = words.getFirst();
    String name = word.text.toLowerCase(Locale.ROOT);
    if (name.equals("@every")) {
      throw error(
          "@every is not a cron macro: use Trigger.every(Duration, Instant) for a fixed"
              + " interval",
          span(word.at, word.text.length()));
    }
    if (name.equals("@reboot")) {
      throw error(
          "@reboot is not supported: a schedule fires at times, not at start-up",
          span(word.at, word.text.length()));
    }
    String fields = MACROS.get(name);
    if (fields == null) {
      throw error(
          "unknown macro \"" + word.text + "\": use " + MACRO_NAMES,
          span(word.at, word.text.length()));
    }
    if (words.size() > 1) {
      Word extra = words.get(1);
      throw error(
          "macro " + name + " takes no fields; found \"" + extra.text + "\" after it",
          span(extra.at, words.getLast().at + words.getLast().text.length() - extra.at));
    }
    return parse(fields).named(name);
  }

  private List<Word> words() {
    var words = new ArrayList<Word>();
    int i = 0;
    while (i < shown.length()) {
      if (shown.charAt(i) == ' ') {
        i++;
        continue;
      }
      int start = i;
      while (i < shown.length() && shown.charAt(i) != ' ') i++;
      words.add(new Word(shown.substring(start, i), start));
    }
    return words;
  }

  /** The values a field allows, as bits, plus the day fields' special forms. */
  private static final class FieldBits {
    long bits;

    /** Day-of-month {@code L}. */
    boolean lastDay;

    /** Day-of-week {@code d#n}: bit {@code d * 5 + n - 1}. */
    long nthWeekdays;

    /** Day-of-week {@code dL}: bit {@code d}. */
    int lastWeekdays;

    static FieldBits single(int value) {
      var f = new FieldBits();
      f.bits = 1L << value;
      return f;
    }
  }

  /** The field being parsed, for messages: {@code field 2 (hour)}. */
  private record Where(CronField field, int position) {
    String name() {
      return "field " + position + " (" + field.label + ")";
    }
  }

  private FieldBits field(CronField field, int position, Word word) {
    var where = new Where(field, position);
    String text = word.text;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = Character.isLetterOrDigit(c) && c < 128 || "*?/,-#".indexOf(c) >= 0;
      if (!ok) {
        throw error(
            where.name()
                + " \""
                + word.text
                + "\" has an unexpected character '"
                + c
                + "': use numbers"
                + (field.names.isEmpty() ? "" : ", names")
                + " and * , - /",
            span(word.at + i, 1));
      }
    }
    var result = new FieldBits();
    int start = 0;
    while (true) {
      int comma = text.indexOf(',', start);
      int end = comma < 0 ? text.length() : comma;
      String element = text.substring(start, end);
      if (element.isEmpty()) {
        throw error(
            where.name() + " \"" + word.text + "\" has an empty element in its list",
            span(word.at + start, 1));
      }
      if (element.equals("?") && text.length() > 1) {
        throw error(
            where.name() + " \"" + word.text + "\": ? must stand alone", span(word.at + start, 1));
      }
      element(where, element, word.at + start, result);
      if (comma < 0) break;
      start = comma + 1;
    }
    return result;
  }

  /** One element of a list, as written (names in any case; the checks below use upper case). */
  private void element(Where where, String element, int at, FieldBits result) {
    CronField field = where.field;
    String quoted = where.name() + " \"" + element + "\"";
    String upper = element.toUpperCase(Locale.ROOT);
    if (element.equals("?")) {
      if (field != CronField.DAY_OF_MONTH && field != CronField.DAY_OF_WEEK) {
        throw error(
            quoted + ": ? is allowed only in day-of-month and day-of-week; use *", span(at, 1));
      }
      setRange(result, field, field.min, field == CronField.DAY_OF_WEEK ? 6 : field.max, 1);
      return;
    }
    int slash = element.indexOf('/');
    String base = slash < 0 ? upper : upper.substring(0, slash);
    String written = slash < 0 ? element : element.substring(0, slash);
    int step = 1;
    if (slash >= 0) step = step(where, element, at, slash);
    if (base.isEmpty()) {
      throw error(quoted + " has nothing before '/': write */n, a/n or a-b/n", span(at, 1));
    }
    if (field == CronField.DAY_OF_MONTH && (base.contains("L") || base.contains("W"))) {
      if (!base.equals("L")) {
        throw error(
            quoted
                + " is not supported: L alone means the last day of the month;"
                + " L-n, LW and nW (nearest weekday) are not available",
            span(at, element.length()));
      }
      if (slash >= 0) throw error(quoted + ": L takes no step", span(at + slash, 1));
      result.lastDay = true;
      return;
    }
    if (field == CronField.DAY_OF_WEEK && (base.endsWith("L") || base.contains("#"))) {
      if (slash >= 0) {
        throw error(quoted + ": L and # take no step", span(at + slash, element.length() - slash));
      }
      weekdayInMonth(where, base, written, at, result);
      return;
    }
    int low;
    int high;
    // Day-of-week runs to 7 (Sunday again), so 1/2 is Mon, Wed, Fri and Sun, as in cronie.
    int top = field.max;
    if (base.equals("*")) {
      low = field.min;
      high = top;
    } else {
      int dash = base.indexOf('-');
      if (dash == 0) {
        throw error(quoted + ": a range needs a start, as in 1-5", span(at, 1));
      }
      if (dash < 0) {
        low = value(where, written, at);
        high = slash >= 0 ? top : low;
      } else {
        String end = written.substring(dash + 1);
        if (end.isEmpty()) {
          throw error(quoted + ": the range has no end, as in 1-5", span(at + dash, 1));
        }
        String start = written.substring(0, dash);
        low = value(where, start, at);
        high = value(where, end, at + dash + 1);
        if (low > high) {
          throw error(
              quoted
                  + " is a reversed range: write the lower bound first ("
                  + end
                  + "-"
                  + start
                  + "); ranges do not wrap around, so use a list such as 5-6,0-1 instead",
              span(at, written.length()));
        }
      }
    }
    setRange(result, field, low, high, step);
  }

  private int step(Where where, String element, int at, int slash) {
    String text = element.substring(slash + 1);
    String quoted = where.name() + " \"" + element + "\"";
    if (text.isEmpty()) {
      throw error(quoted + " has no step after '/': write e.g. */5", span(at + slash, 1));
    }
    if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw error(
          quoted + ": step \"" + text + "\" is not a whole number",
          span(at + slash + 1, text.length()));
    }
    CronField field = where.field;
    int span = (field == CronField.DAY_OF_WEEK ? 6 : field.max) - field.min + 1;
    int step = text.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(text);
    if (step < 1 || step > span) {
      throw error(
          quoted
              + ": step "
              + text
              + " must be between 1 and "
              + span
              + " (the size of the range "
              + field.min
              + "-"
              + (field.min + span - 1)
              + ")",
          span(at + slash + 1, text.length()));
    }
    return step;
  }

  /** Day-of-week {@code 5L} (last Friday of the month) or {@code MON#2} (second Monday). */
  private void weekdayInMonth(Where where, String base, String written, int at, FieldBits result) {
    String quoted = where.name() + " \"" + written + "\"";
    if (base.equals("L")) {
      throw error(
          quoted
              + ": L alone is ambiguous in day-of-week; write nL for the last weekday n"
              + " of the month, e.g. 5L or FRIL for the last Friday",
          span(at, 1));
    }
    if (base.endsWith("L")) {
      String day = base.substring(0, base.length() - 1);
      if (day.contains("#") || day.contains("-") || day.contains("*")) {
        throw error(quoted + ": L follows a single weekday, as in 5L", span(at, base.length()));
      }
      result.lastWeekdays |= 1 << (value(where, written.substring(0, day.length()), at) % 7);
      return;
    }
    int hash = base.indexOf('#');
    String day = base.substring(0, hash);
    String nth = base.substring(hash + 1);
    if (day.isEmpty() || day.contains("-") || day.contains("*")) {
      throw error(quoted + ": # follows a single weekday, as in MON#2", span(at, base.length()));
    }
    int weekday = value(where, written.substring(0, hash), at) % 7;
    if (nth.length() != 1 || nth.charAt(0) < '1' || nth.charAt(0) > '5') {
      throw error(
          quoted + ": the occurrence after # must be 1-5, as in MON#2 (second Monday)",
          span(at + hash + 1, Math.max(1, nth.length())));
    }
    result.nthWeekdays |= 1L << (weekday * 5 + nth.charAt(0) - '1');
  }

  /** One number or name of a field, checked against its range. */
  private int value(Where where, String token, int at) {
    CronField field = where.field;
    String quoted = where.name() + " \"" + token + "\"";
    if (!token.isEmpty() && token.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int value = token.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(token);
      if (value < field.min || value > field.max) {
        throw error(quoted + " is out of range " + field.allowed(), span(at, token.length()));
      }
      return value;
    }
    String upper = token.toUpperCase(Locale.ROOT);
    if (!field.names.isEmpty()
        && !token.isEmpty()
        && upper.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
      int index = field.names.indexOf(upper);
      if (index < 0) {
        String kind = field == CronField.MONTH ? "a month" : "a weekday";
        throw error(
            quoted + " is not " + kind + ": use " + field.allowed(), span(at, token.length()));
      }
      return field == CronField.MONTH ? index + 1 : index;
    }
    throw error(
        quoted
            + " is not a number: use "
            + field.allowed()
            + (field == CronField.DAY_OF_MONTH ? " or L" : ""),
        span(at, Math.max(1, token.length())));
  }

  private static void setRange(FieldBits result, CronField field, int low, int high, int step) {
    for (int v = low; v <= high; v += step) {
      result.bits |= 1L << (field == CronField.DAY_OF_WEEK ? v % 7 : v);
    }
  }

  /**
   * Refuses an expression whose days can never come, such as {@code 0 0 30 2 *}. The Gregorian
   * calendar repeats every 400 years, and every month of it starts on every weekday with every
   * length it can have, so trying each (month, first weekday, length) decides it exactly.
   */
  private void mustFireSomeday(CronExpression e, int skip, Word dom, Word month, Word dow) {
    var months = new ArrayList<Integer>();
    for (int m = 1; m <= 12; m++) {
      if (!e.inMonth(m)) continue;
      months.add(m);
      for (int length : lengths(m)) {
        for (int firstWeekday = 0; firstWeekday < 7; firstWeekday++) {
          if (e.daysOfMonth(length, firstWeekday) != 0) return;
        }
      }
    }
    var numbers = new ArrayList<String>();
    var names = new ArrayList<String>();
    for (int m : months) {
      numbers.add(Integer.toString(m));
      names.add(CronField.MONTH.nameOf(m));
    }
    String inMonths =
        (months.size() == 1 ? "month " : "months ")
            + String.join(",", numbers)
            + " ("
            + String.join(",", names)
            + ")";
    int domPosition = CronField.DAY_OF_MONTH.ordinal() - skip + 1;
    int[] domSpan = span(dom.at, dom.text.length());
    int[] monthSpan = span(month.at, month.text.length());
    boolean domAloneNeverFits = e.isDayOfWeekUnrestricted();
    if (domAloneNeverFits) {
      throw error(
          "field "
              + domPosition
              + " (day-of-month) \""
              + dom.text
              + "\" never occurs in "
              + inMonths
              + ": this schedule would never fire",
          domSpan,
          monthSpan);
    }
    throw error(
        "no day satisfies both field "
            + domPosition
            + " (day-of-month) \""
            + dom.text
            + "\" and field "
            + (domPosition + 2)
            + " (day-of-week) \""
            + dow.text
            + "\" in "
            + inMonths
            + ": this schedule would never fire",
        domSpan,
        monthSpan,
        span(dow.at, dow.text.length()));
  }

  private static int[] lengths(int month) {
    return switch (month) {
      case 2 -> new int[] {28, 29};
      case 4, 6, 9, 11 -> new int[] {30};
      default -> new int[] {31};
    };
  }

  private static int[] span(int at, int length) {
    return new int[] {at, length};
  }

  private InvalidScheduleException error(String problem, int[]... spans) {
    var carets = new StringBuilder();
    for (int[] s : spans) {
      while (carets.length() < s[0]) carets.append(' ');
      for (int i = 0; i < Math.max(1, s[1]); i++) {
        if (carets.length() <= s[0] + i) carets.append('^');
      }
    }
    return new InvalidScheduleException(
        "invalid cron expression \"" + shown + "\": " + problem + "\n  " + shown + "\n  " + carets);
  }
}
