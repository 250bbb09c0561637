package io.taskmill.event;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which events a subscription receives: each set that is not empty must contain the event's value.
 *
 * <pre>{@code
 * EventFilter.all().kinds(EventKind.JOB_DEAD).queues("media")
 * }</pre>
 *
 * @param kinds event kinds, or empty for all
 * @param types job types, or empty for all
 * @param queues queues, or empty for all
 */
public record EventFilter(Set<EventKind> kinds, Set<String> types, Set<String> queues)
    implements Predicate<FeedEvent> {

  public EventFilter {
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    types = Set.copyOf(types);
    queues = Set.copyOf(queues);
  }

  /** Every event. */
  public static EventFilter all() {
    return new EventFilter(Set.of(), Set.of(), Set.of());
  }

  /** This filter, receiving only these kinds. */
  public EventFilter kinds(EventKind... kinds) {
    return new EventFilter(Set.of(nonNull("kinds", kinds)), types, queues);
  }

  /** This filter, receiving only jobs of these types. */
  public EventFilter types(String... types) {
    return new EventFilter(kinds, Set.of(nonNull("types", types)), queues);
  }

  /** This filter, receiving only jobs of these queues. */
  public EventFilter queues(String... queues) {
    return new EventFilter(kinds, types, Set.of(nonNull("queues", queues)));
  }

  @Override
  public boolean test(FeedEvent e) {
    // A transition of a job pruned since has no type or queue, and Set.of(...).contains(null)
    // throws: such an event passes only when that part of the filter is open.
    return (kinds.isEmpty() || kinds.contains(e.kind()))
        && (types.isEmpty() || (e.type() != null && types.contains(e.type())))
        && (queues.isEmpty() || (e.queue() != null && queues.contains(e.queue())));
  }

  @SafeVarargs
  private static <T> T[] nonNull(String what, T... values) {
    if (Arrays.stream(values).anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException(
          "EventFilter " + what + " must not contain null: " + Arrays.toString(values));
    }
    return values;
  }
}
