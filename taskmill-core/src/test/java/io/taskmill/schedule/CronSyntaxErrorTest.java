package io.taskmill.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A refused expression says where it is wrong: field, position, token, what is allowed, caret. */
class CronSyntaxErrorTest {
  static String messageOf(String expression) {
    try {
      CronExpression.parse(expression);
    } catch (InvalidScheduleException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted \"" + expression + "\"");
  }

  /** The caret line (the message's last) marks exactly the columns of {@code token}. */
  static void caretsUnder(String expression, String token) {
    String[] lines = messageOf(expression).split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[1]).isEqualTo("  " + expression);
    int at = expression.indexOf(token);
    assertThat(at).as("token in expression").isNotNegative();
    assertThat(lines[2]).isEqualTo("  " + " ".repeat(at) + "^".repeat(token.length()));
  }

  @Test
  void outOfRangeNamesFieldPositionTokenAndRange() {
    assertThat(messageOf("0 25 * * *"))
        .startsWith(
            "invalid cron expression \"0 25 * * *\": field 2 (hour) \"25\" is out of range 0-23\n");
    caretsUnder("0 25 * * *", "25");
    assertThat(messageOf("60 * * * * *")).contains("field 1 (second) \"60\" is out of range 0-59");
    assertThat(messageOf("0 0 0 * *"))
        .contains("field 3 (day-of-month) \"0\" is out of range 1-31");
    assertThat(messageOf("0 0 * 13 *")).contains("field 4 (month) \"13\" is out of range 1-12");
    assertThat(messageOf("0 0 * * 8"))
        .contains("field 5 (day-of-week) \"8\" is out of range 0-7 or SUN-SAT");
    assertThat(messageOf("0 0 * * * 8")).contains("field 6 (day-of-week) \"8\"");
    assertThat(messageOf("0 99999999999 * * *")).contains("\"99999999999\" is out of range 0-23");
  }

  @Test
  void theOffendingValueInsideAListOrRangeIsTheOnePointedAt() {
    assertThat(messageOf("0 1,2,24 * * *")).contains("field 2 (hour) \"24\" is out of range");
    caretsUnder("0 1,2,24 * * *", "24");
    caretsUnder("0 0 * 1-13 *", "13");
  }

  @Test
  void emptyOrBlank() {
    assertThat(messageOf("")).contains("it is empty").contains("5 fields").contains("@daily");
    assertThat(messageOf("   ")).contains("it is empty");
    assertThatThrownBy(() -> CronExpression.parse(null))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessageContaining("null");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "* * *         | found 3",
        "* * * *       | found 4",
        "* * * * * * * | found 7 (a year field is not supported)"
      })
  void wrongNumberOfFields(String expression, String found) {
    assertThat(messageOf(expression))
        .contains("expected 5 fields (minute hour day-of-month month day-of-week) or 6")
        .contains(found);
  }

  @Test
  void stepsMustBeAtLeastOneAndFitTheRange() {
    assertThat(messageOf("*/0 * * * *"))
        .contains("field 1 (minute) \"*/0\": step 0 must be between 1 and 60");
    caretsUnder("*/0 * * * *", "0");
    assertThat(messageOf("0 */25 * * *")).contains("field 2 (hour) \"*/25\": step 25");
    assertThat(messageOf("*/ * * * *")).contains("field 1 (minute) \"*/\" has no step");
    assertThat(messageOf("*/x * * * *")).contains("step \"x\" is not a whole number");
    assertThat(messageOf("/5 * * * *")).contains("has nothing before '/'");
    assertThat(messageOf("1/2/3 * * * *")).contains("step \"2/3\" is not a whole number");
  }

  @Test
  void reversedRange() {
    assertThat(messageOf("5-1 * * * *"))
        .contains("field 1 (minute) \"5-1\" is a reversed range")
        .contains("write the lower bound first (1-5)");
    caretsUnder("5-1 * * * *", "5-1");
    assertThat(messageOf("0 0 * * FRI-MON"))
        .contains("field 5 (day-of-week) \"FRI-MON\" is a reversed range")
        .contains("ranges do not wrap around");
    assertThat(messageOf("0 0 * * 5-")).contains("the range has no end");
    assertThat(messageOf("0 0 * * -5")).contains("a range needs a start");
  }

  @Test
  void unknownNames() {
    assertThat(messageOf("0 0 * JAM *"))
        .contains("field 4 (month) \"JAM\" is not a month: use 1-12 or JAN-DEC");
    caretsUnder("0 0 * JAM *", "JAM");
    assertThat(messageOf("0 0 * * Mondays"))
        .contains("field 5 (day-of-week) \"Mondays\" is not a weekday: use 0-7 or SUN-SAT");
    assertThat(messageOf("0 noon * * *"))
        .contains("field 2 (hour) \"noon\" is not a number: use 0-23");
    assertThat(messageOf("0 0 * * * JAN"))
        .contains("field 6 (day-of-week) \"JAN\" is not a weekday");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 * * 1$", "0 0 * * 1;2", "0 0 ¼ * *", "0 0 * * MON|TUE"})
  void garbageCharacters(String expression) {
    String message = messageOf(expression);
    assertThat(message).contains("has an unexpected character");
    String[] lines = message.split("\n");
    assertThat(lines[2].trim()).isEqualTo("^");
  }

  @Test
  void garbageCharacterIsPointedAt() {
    assertThat(messageOf("0 0 * * 1$"))
        .contains("field 5 (day-of-week) \"1$\" has an unexpected character '$'");
    caretsUnder("0 0 * * 1$", "$");
  }

  @Test
  void listsWithHoles() {
    assertThat(messageOf("1,,2 * * * *"))
        .contains("field 1 (minute) \"1,,2\" has an empty element");
    assertThat(messageOf("1, * * * *")).contains("\"1,\" has an empty element");
  }

  @Test
  void specialCharactersOnlyWhereTheyMeanSomething() {
    assertThat(messageOf("? * * * *"))
        .contains("field 1 (minute) \"?\": ? is allowed only in day-of-month and day-of-week");
    assertThat(messageOf("0 0 ?,1 * *")).contains("? must stand alone");
    assertThat(messageOf("0 0 L-2 * *")).contains("\"L-2\" is not supported");
    assertThat(messageOf("0 0 15W * *")).contains("\"15W\" is not supported");
    assertThat(messageOf("0 0 L/2 * *")).contains("L takes no step");
    assertThat(messageOf("0 L * * *")).contains("field 2 (hour) \"L\" is not a number");
    assertThat(messageOf("0 0 * * L")).contains("L alone is ambiguous in day-of-week");
    assertThat(messageOf("0 0 * * MON#6")).contains("the occurrence after # must be 1-5");
    assertThat(messageOf("0 0 * * MON#0")).contains("the occurrence after # must be 1-5");
    assertThat(messageOf("0 0 * * #2")).contains("# follows a single weekday");
    assertThat(messageOf("0 0 * * MON-FRI#2")).contains("# follows a single weekday");
    assertThat(messageOf("0 0 * * 1-5L")).contains("L follows a single weekday");
    assertThat(messageOf("0 0 * * 5L/2")).contains("L and # take no step");
    assertThat(messageOf("0 0 * * 8L")).contains("\"8\" is out of range");
  }

  @Test
  void impossibleDatesAreRefusedAtParseTime() {
    assertThat(messageOf("0 0 30 2 *"))
        .startsWith(
            "invalid cron expression \"0 0 30 2 *\":"
                + " field 3 (day-of-month) \"30\" never occurs in month 2 (FEB):"
                + " this schedule would never fire\n");
    assertThat(messageOf("0 0 31 4,6,9,11 *"))
        .contains("\"31\" never occurs in months 4,6,9,11 (APR,JUN,SEP,NOV)");
    assertThat(messageOf("0 0 0 30,31 FEB *")).contains("field 4 (day-of-month) \"30,31\"");
    assertThat(messageOf("0 0 */10 2 MON#5"))
        .contains(
            "no day satisfies both field 3 (day-of-month) \"*/10\" and field 5"
                + " (day-of-week) \"MON#5\" in month 2 (FEB)");
    String[] lines = messageOf("0 0 30 2 *").split("\n");
    assertThat(lines[2]).isEqualTo("      ^^ ^");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0 0 29 2 *",
        "0 0 30 1-2 *",
        "0 0 31 2 MON",
        "0 0 * 2 MON#5",
        "0 0 L 2 *",
        "0 0 31 * *"
      })
  void possibleButRareDatesAreAccepted(String expression) {
    assertThat(CronExpression.parse(expression)).isNotNull();
  }

  @Test
  void macros() {
    assertThat(messageOf("@dayly")).contains("unknown macro \"@dayly\": use @yearly, @annually,");
    assertThat(messageOf("@every 5m"))
        .contains("@every is not a cron macro: use Trigger.every(Duration, Instant)");
    assertThat(messageOf("@reboot")).contains("@reboot is not supported");
    assertThat(messageOf("@daily 5")).contains("macro @daily takes no fields");
    caretsUnder("@daily 5", "5");
  }

  @Test
  void isAnIllegalArgumentException() {
    assertThatThrownBy(() -> CronExpression.parse("x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
