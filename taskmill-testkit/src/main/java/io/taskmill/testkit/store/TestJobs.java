package io.taskmill.testkit.store;

import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Store;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds {@link NewJob}s for tests with sensible defaults: {@code
 * TestJobs.aJob().type("t.x").queue("q").priority(5).build()}.
 */
public final class TestJobs {
  /** The fixed "now" of the contract suite; tests move time by adding to it, never by sleeping. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Node name {@link Builder#insert} writes events as. */
  public static final String TEST_NODE = "test-node";

  // Ids from one JVM increase in build order (within a millisecond too), so tests can rely on
  // id order; the random run bits keep runs apart when a database outlives the JVM.
  private static final long RUN_BITS = new SecureRandom().nextLong() & 0x3FFF_FFFF_0000_0000L;
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private TestJobs() {}

  public static Builder aJob() {
    return new Builder();
  }

  /** A UUIDv7 job id for {@code createdAt}, greater than every id this JVM made before. */
  public static JobId nextId(Instant createdAt) {
    long msb = (createdAt.toEpochMilli() << 16) | 0x7000L;
    long lsb = 0x8000_0000_0000_0000L | RUN_BITS | (SEQUENCE.incrementAndGet() & 0xFFFF_FFFFL);
    return new JobId(new UUID(msb, lsb));
  }

  /** A fluent builder of one {@link NewJob}; every field has a default. */
  public static final class Builder {
    private JobId id;
    private String type = "test.noop";
    private String queue = "default";
    private JobState state;
    private int priority;
    private Instant runAt;
    private String payloadJson = "{}";
    private int maxAttempts = 3;
    private String retryPolicyJson = "{\"backoff\":\"exponential\",\"base\":\"PT1S\"}";
    private Duration timeout;
    private String idempotencyKey;
    private List<String> tags = List.of();
    private String correlationId;
    private String schedule;
    private Instant createdAt = T0;

    private Builder() {}

    public Builder id(JobId id) {
      this.id = id;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    /**
     * Defaults to {@code SCHEDULED} when {@code runAt} is after {@code createdAt}, else {@code
     * ENQUEUED}.
     */
    public Builder state(JobState state) {
      this.state = state;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** Defaults to {@code createdAt}. */
    public Builder runAt(Instant runAt) {
      this.runAt = runAt;
      return this;
    }

    public Builder payload(String payloadJson) {
      this.payloadJson = payloadJson;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder retryPolicy(String retryPolicyJson) {
      this.retryPolicyJson = retryPolicyJson;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    public Builder tags(String... tags) {
      this.tags = List.of(tags);
      return this;
    }

    public Builder schedule(String schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder correlationId(String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    /** Defaults to {@link TestJobs#T0}. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public NewJob build() {
      Instant due = runAt == null ? createdAt : runAt;
      JobState initial =
          state != null ? state : due.isAfter(createdAt) ? JobState.SCHEDULED : JobState.ENQUEUED;
      return new NewJob(
          id == null ? nextId(createdAt) : id,
          type,
          queue,
          initial,
          priority,
          due,
          payloadJson,
          maxAttempts,
          retryPolicyJson,
          timeout,
          idempotencyKey,
          tags,
          correlationId,
          createdAt,
          schedule);
    }

    /** Builds the job and inserts it alone into {@code store}. */
    public InsertedJob insert(Store store) {
      return ReadyWrites.insert(store, List.of(build()), TEST_NODE).getFirst();
    }
  }
}
