package io.taskmill.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * Fires when the wall clock in {@code zone} matches {@code expression}, with {@link
 * CronExpression}'s daylight-saving policy.
 */
public record CronTrigger(CronExpression expression, ZoneId zone) implements Trigger {
  /** What {@link #text()} starts with. */
  static final String PREFIX = "cron ";

  /** Checks that both parts are present. */
  public CronTrigger {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(zone, "zone");
  }

  @Override
  public Optional<Instant> next(Instant after) {
    return expression.next(after, zone);
  }

  /** {@code cron} and the normalized expression; the zone is not part of it. */
  @Override
  public String text() {
    return PREFIX + expression;
  }
}
