package io.taskmill.job;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** A job's identity: a time-ordered UUIDv7, shown as text in APIs and logs. */
public record JobId(UUID value) implements Comparable<JobId> {
  /** Per thread, so concurrent enqueuers do not queue on one generator's lock. */
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(SecureRandom::new);

  public JobId {
    Objects.requireNonNull(value, "value");
  }

  /**
   * Last (millisecond << 12 | counter) handed out; keeps ids from one process strictly increasing.
   */
  private static final AtomicLong LAST = new AtomicLong();

  /**
   * A new UUIDv7 id for a job created at {@code epochMillis}. Ids made by one process increase
   * strictly, also within a millisecond (RFC 9562's 12-bit counter in {@code rand_a}), so jobs
   * enqueued together keep their order when sorted by id.
   */
  public static JobId newId(long epochMillis) {
    long stamp =
        LAST.updateAndGet(
            last -> {
              long fresh = epochMillis << 12;
              return fresh > last ? fresh : last + 1; // counter overflow simply borrows the next ms
            });
    long msb = ((stamp >>> 12) << 16) | (0x7L << 12) | (stamp & 0xFFF);
    long lsb = (RANDOM.get().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new JobId(new UUID(msb, lsb));
  }

  /**
   * Parses the text form of an id.
   *
   * @throws IllegalArgumentException naming the bad text when it is not a UUID
   */
  public static JobId parse(String text) {
    try {
      if (text == null || text.length() != 36) {
        throw new IllegalArgumentException();
      }
      return new JobId(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "job id '" + text + "' is not a UUID (expected 36 characters like 0190b3c2-...-...)");
    }
  }

  @Override
  public int compareTo(JobId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
