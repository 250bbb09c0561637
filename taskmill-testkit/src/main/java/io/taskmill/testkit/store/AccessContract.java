package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.access.ApiKey;
import io.taskmill.access.ApiKeys;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.access.NewApiKey;
import io.taskmill.access.Role;
import io.taskmill.internal.leader.Retention;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Ops.ApiKeyByHash;
import io.taskmill.spi.Ops.ApiKeyList;
import io.taskmill.spi.Ops.ApiKeyRevoke;
import io.taskmill.spi.Retained;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * API keys (insert refused on a taken id or hash, lookups by id and by hash, listing, revoking,
 * counting active keys, queue scopes) and the audit trail (appending, numbering under concurrency,
 * listing with filters and a cursor, retention fenced by the leader's term).
 *
 * <p>{@link #concurrentAppendsGetDistinctSeqs} appends from {@value #APPENDERS} threads at once;
 * give the store that many pooled connections, so each append runs in a transaction of its own.
 */
public abstract class AccessContract extends StoreContractSupport {
  /** Threads of the concurrent append test; the store's pool should have this many connections. */
  protected static final int APPENDERS = 8;

  private static final int APPENDS_EACH = 100;

  private static NewApiKey generated(String name, Role role, Instant at) {
    return ApiKeys.generate(name, role, at, "contract test");
  }

  /** Generates a key created at {@code at} and stores it. */
  private ApiKey saved(String name, Role role, Instant at) {
    ApiKey key = generated(name, role, at).key();
    assertThat(store.inTransaction(StoreOp.API_KEY, (StoreTx tx) -> tx.apiKeyInsert(key)))
        .as("insert key " + name)
        .isTrue();
    return key;
  }

  /** A key by id, found in the list as core's Access finds it. */
  private Optional<ApiKey> keyById(String id) {
    return store.read(StoreOp.API_KEY, tx -> tx.query(new ApiKeyList())).stream()
        .filter(k -> k.id().equals(id))
        .findFirst();
  }

  private long activeKeys() {
    return store.read(StoreOp.API_KEY, tx -> tx.query(new ApiKeyList())).stream()
        .filter(ApiKey::active)
        .count();
  }

  private ApiKey stored(String id) {
    return keyById(id).orElseThrow(() -> new AssertionError("no API key " + id));
  }

  private static ApiKey with(ApiKey k, String id, String secretHash) {
    return new ApiKey(
        id, k.name() + " (copy)", k.role(), secretHash, k.createdAt(), null, k.createdBy());
  }

  /** An entry by {@code keyId} (with role operator), at {@code at}. */
  private static AuditEntry entry(Instant at, String keyId, String action) {
    return new AuditEntry(
        0,
        at,
        keyId,
        keyId == null ? null : Role.OPERATOR,
        action,
        "jobs/" + action,
        "ok",
        "10.0.0.1",
        "req-" + at.toEpochMilli(),
        null);
  }

  private long append(AuditEntry e) {
    return store.inTransaction(StoreOp.AUDIT, tx -> tx.auditAppendAll(List.of(e))).getFirst();
  }

  private static List<Long> seqs(List<AuditEntry> entries) {
    return entries.stream().map(AuditEntry::seq).toList();
  }

  // --- API keys ---

  @Test
  void aStoredKeyIsFoundByIdAndByTheHashOfItsSecret() {
    Instant created = T0.plusNanos(123_456_000);
    NewApiKey created1 = ApiKeys.generate("ci deploys", Role.ADMIN, created, "first start");

    assertThat(
            store.inTransaction(StoreOp.API_KEY, (StoreTx tx) -> tx.apiKeyInsert(created1.key())))
        .isTrue();

    assertThat(keyById(created1.key().id())).contains(created1.key());
    assertThat(
            store.read(
                StoreOp.API_KEY,
                (StoreTx tx) -> tx.first(new ApiKeyByHash(ApiKeys.hash(created1.secret())))))
        .contains(created1.key());
    assertThat(stored(created1.key().id()).active()).isTrue();
  }

  @Test
  void unknownIdsAndHashesFindNothing() {
    saved("ops", Role.OPERATOR, T0);

    assertThat(keyById("aaaaaaaaaaaa")).isEmpty();
    assertThat(
            store.read(
                StoreOp.API_KEY,
                (StoreTx tx) -> tx.first(new ApiKeyByHash(ApiKeys.hash("tm_not_a_stored_secret")))))
        .isEmpty();
  }

  @Test
  void aTakenIdIsRefusedAndTheStoredKeyStays() {
    ApiKey first = saved("first", Role.VIEWER, T0);
    ApiKey sameId =
        with(generated("other", Role.ADMIN, T0).key(), first.id(), ApiKeys.hash("another secret"));

    assertThat(store.inTransaction(StoreOp.API_KEY, (StoreTx tx) -> tx.apiKeyInsert(sameId)))
        .isFalse();

    assertThat(stored(first.id())).isEqualTo(first);
    assertThat(
            store.read(
                StoreOp.API_KEY, (StoreTx tx) -> tx.first(new ApiKeyByHash(sameId.secretHash()))))
        .isEmpty();
    assertThat(store.read(StoreOp.API_KEY, (StoreTx tx) -> tx.query(new ApiKeyList())))
        .containsExactly(first);
  }

  @Test
  void aTakenHashIsRefused() {
    ApiKey first = saved("first", Role.VIEWER, T0);
    ApiKey sameHash = with(first, "bbbbbbbbbbbb", first.secretHash());

    assertThat(store.inTransaction(StoreOp.API_KEY, (StoreTx tx) -> tx.apiKeyInsert(sameHash)))
        .isFalse();

    assertThat(keyById(sameHash.id())).isEmpty();
    assertThat(
            store.read(
                StoreOp.API_KEY, (StoreTx tx) -> tx.first(new ApiKeyByHash(first.secretHash()))))
        .contains(first);
  }

  @Test
  void listsEveryKeyNewestFirstRevokedOnesIncluded() {
    ApiKey oldest = saved("oldest", Role.VIEWER, T0);
    ApiKey middle = saved("middle", Role.WORKER, T0.plusSeconds(1));
    ApiKey newest = saved("newest", Role.ADMIN, T0.plusSeconds(2));
    assertThat(
            store.inTransaction(
                StoreOp.API_KEY,
                (StoreTx tx) -> tx.change(new ApiKeyRevoke(middle.id(), T0.plusSeconds(3))) == 1))
        .isTrue();

    List<ApiKey> keys = store.read(StoreOp.API_KEY, tx -> tx.query(new ApiKeyList()));

    assertThat(keys).extracting(ApiKey::id).containsExactly(newest.id(), middle.id(), oldest.id());
    assertThat(keys.get(1).revokedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(keys.get(0)).isEqualTo(newest);
    assertThat(keys.get(2)).isEqualTo(oldest);
  }

  @Test
  void anEmptyStoreListsNoKeys() {
    assertThat(store.read(StoreOp.API_KEY, (StoreTx tx) -> tx.query(new ApiKeyList()))).isEmpty();
    assertThat(activeKeys()).isZero();
  }

  @Test
  void revokingSetsRevokedAtOnceAndForAll() {
    ApiKey key = saved("ops", Role.OPERATOR, T0);
    Instant revoked = T0.plus(Duration.ofMinutes(5)).plusNanos(7_000);

    assertThat(
            store.inTransaction(
                StoreOp.API_KEY,
                (StoreTx tx) -> tx.change(new ApiKeyRevoke(key.id(), revoked)) == 1))
        .isTrue();
    assertThat(
            store.inTransaction(
                StoreOp.API_KEY,
                (StoreTx tx) ->
                    tx.change(new ApiKeyRevoke(key.id(), revoked.plusSeconds(60))) == 1))
        .as("a second revocation")
        .isFalse();

    ApiKey after = stored(key.id());
    assertThat(after.revokedAt()).isEqualTo(revoked);
    assertThat(after.active()).isFalse();
    assertThat(after.allows(Role.VIEWER)).isFalse();
    assertThat(after)
        .isEqualTo(
            new ApiKey(
                key.id(),
                key.name(),
                key.role(),
                key.secretHash(),
                key.createdAt(),
                revoked,
                key.createdBy()));
  }

  @Test
  void aScopedKeyKeepsItsQueuesAndAnUnscopedOneHasNone() {
    NewApiKey scoped =
        ApiKeys.generate("mailer", Role.OPERATOR, T0, "contract test", List.of("render", "mail"));
    assertThat(store.inTransaction(StoreOp.API_KEY, (StoreTx tx) -> tx.apiKeyInsert(scoped.key())))
        .isTrue();
    ApiKey unscoped = saved("ops", Role.OPERATOR, T0);

    ApiKey found =
        store
            .read(StoreOp.API_KEY, tx -> tx.first(new ApiKeyByHash(ApiKeys.hash(scoped.secret()))))
            .orElseThrow();
    assertThat(found).isEqualTo(scoped.key());
    assertThat(found.queues()).containsExactly("mail", "render");
    assertThat(found.mayUse("mail")).isTrue();
    assertThat(found.mayUse("default")).isFalse();
    assertThat(stored(unscoped.id()).queues()).isNull();
    assertThat(stored(unscoped.id()).mayUse("anything")).isTrue();
    assertThat(store.read(StoreOp.API_KEY, (StoreTx tx) -> tx.query(new ApiKeyList())))
        .contains(scoped.key(), unscoped);
  }

  @Test
  void revokingAnUnknownKeyChangesNothing() {
    ApiKey key = saved("ops", Role.OPERATOR, T0);

    assertThat(
            store.inTransaction(
                StoreOp.API_KEY,
                (StoreTx tx) -> tx.change(new ApiKeyRevoke("cccccccccccc", T0)) == 1))
        .isFalse();

    assertThat(stored(key.id()).active()).isTrue();
  }

  @Test
  void aRevokedKeyIsStillFoundByHashWithItsRevocationTime() {
    NewApiKey created = generated("leaked", Role.ADMIN, T0);
    store.inTransaction(StoreOp.API_KEY, tx -> tx.apiKeyInsert(created.key()));
    store.inTransaction(
        StoreOp.API_KEY,
        tx -> tx.change(new ApiKeyRevoke(created.key().id(), T0.plusSeconds(10))) == 1);

    ApiKey found =
        store
            .read(StoreOp.API_KEY, tx -> tx.first(new ApiKeyByHash(ApiKeys.hash(created.secret()))))
            .orElseThrow();

    assertThat(found.id()).isEqualTo(created.key().id());
    assertThat(found.revokedAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void countsOnlyActiveKeys() {
    ApiKey a = saved("a", Role.ADMIN, T0);
    saved("b", Role.VIEWER, T0);
    saved("c", Role.WORKER, T0);
    assertThat(activeKeys()).isEqualTo(3);

    store.inTransaction(
        StoreOp.API_KEY, tx -> tx.change(new ApiKeyRevoke(a.id(), T0.plusSeconds(1))) == 1);

    assertThat(activeKeys()).isEqualTo(2);
    assertThat(store.read(StoreOp.API_KEY, (StoreTx tx) -> tx.query(new ApiKeyList()))).hasSize(3);
  }

  // --- audit trail ---

  @Test
  void appendedEntriesComeBackNewestFirstWithIncreasingSeqs() {
    var first = entry(T0, "aaaaaaaaaaaa", "job.submit");
    var second = entry(T0.plusNanos(1_000), "aaaaaaaaaaaa", "job.cancel");
    var third = entry(T0.plusSeconds(1), null, "auth");

    long s1 = append(first);
    long s2 = append(second);
    long s3 = append(third);

    assertThat(s1).isPositive();
    assertThat(s2).isGreaterThan(s1);
    assertThat(s3).isGreaterThan(s2);
    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(10))))
        .containsExactly(third.withSeq(s3), second.withSeq(s2), first.withSeq(s1));
  }

  @Test
  void appendsAGroupInOneCallInListOrder() {
    long before = append(entry(T0, "aaaaaaaaaaaa", "job.submit"));
    List<Long> seqs =
        store.inTransaction(
            StoreOp.AUDIT,
            tx ->
                tx.auditAppendAll(
                    List.of(
                        entry(T0.plusSeconds(1), "aaaaaaaaaaaa", "a"),
                        entry(T0.plusSeconds(2), "bbbbbbbbbbbb", "b"),
                        entry(T0.plusSeconds(3), null, "c"))));
    assertThat(seqs).hasSize(3).isSorted().doesNotHaveDuplicates();
    assertThat(seqs.getFirst()).isGreaterThan(before);
    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(10))))
        .extracting(AuditEntry::action)
        .containsExactly("c", "b", "a", "job.submit");
  }

  @Test
  void theStoreNumbersEntriesWhateverSeqTheyCarry() {
    long seq = append(entry(T0, null, "auth").withSeq(999_999));

    assertThat(seq).isNotEqualTo(999_999);
    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(1))))
        .extracting(AuditEntry::seq)
        .containsExactly(seq);
  }

  @Test
  void keepsEveryFieldOfAnEntryAndTheNullsOfAnUnauthenticatedOne() {
    var full =
        new AuditEntry(
            0,
            T0.plusNanos(654_321_000),
            "dddddddddddd",
            Role.ADMIN,
            "apikey.create",
            "apikeys/eeeeeeeeeeee",
            "ok",
            "2001:db8::1",
            "req-42",
            "role admin, name \"ci\"");
    var anonymous = new AuditEntry(0, T0, null, null, "auth", null, "denied", null, null, null);

    long fullSeq = append(full);
    long anonymousSeq = append(anonymous);

    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(10))))
        .containsExactly(anonymous.withSeq(anonymousSeq), full.withSeq(fullSeq));
  }

  @Test
  void storesTextCutToItsColumnsAndWithoutNuls() {
    String longDetail = "x".repeat(AuditEntry.MAX_DETAIL_LENGTH * 2);
    var e =
        new AuditEntry(
            0,
            T0,
            null,
            null,
            "auth",
            "/api/v1/jobs\0/../" + "y".repeat(5000),
            "denied",
            "203.0.113.9",
            "r\0q",
            longDetail);

    append(e);

    AuditEntry read =
        store.read(StoreOp.AUDIT, tx -> tx.auditList(AuditQuery.latest(1))).getFirst();
    assertThat(read.detail()).hasSize(AuditEntry.MAX_DETAIL_LENGTH).endsWith("…");
    assertThat(read.resource()).hasSize(AuditEntry.MAX_RESOURCE_LENGTH).doesNotContain("\0");
    assertThat(read.requestId()).isEqualTo("r\uFFFDq");
    assertThat(read.withSeq(0)).isEqualTo(e);
  }

  @Test
  void filtersByKeyActionAndTimeRange() {
    String alice = "aaaaaaaaaaaa";
    String bob = "bbbbbbbbbbbb";
    long a1 = append(entry(T0, alice, "job.submit"));
    long b1 = append(entry(T0.plusSeconds(1), bob, "job.submit"));
    long a2 = append(entry(T0.plusSeconds(2), alice, "job.cancel"));
    long n1 = append(entry(T0.plusSeconds(3), null, "auth"));
    long a3 = append(entry(T0.plusSeconds(4), alice, "job.submit"));

    assertThat(seqs(list(alice, null, null, null))).containsExactly(a3, a2, a1);
    assertThat(seqs(list(null, "job.submit", null, null))).containsExactly(a3, b1, a1);
    assertThat(seqs(list(alice, "job.submit", null, null))).containsExactly(a3, a1);
    assertThat(seqs(list(null, null, T0.plusSeconds(1), T0.plusSeconds(3))))
        .as("from inclusive, to exclusive")
        .containsExactly(a2, b1);
    assertThat(seqs(list(null, null, T0.plusSeconds(3), null))).containsExactly(a3, n1);
    assertThat(seqs(list(null, null, null, T0.plusSeconds(1)))).containsExactly(a1);
    assertThat(seqs(list(alice, null, T0.plusSeconds(1), null))).containsExactly(a3, a2);
    assertThat(list("cccccccccccc", null, null, null)).isEmpty();
    assertThat(list(null, "no.such.action", null, null)).isEmpty();
  }

  private List<AuditEntry> list(String keyId, String action, Instant from, Instant to) {
    return audit(new AuditQuery(keyId, action, from, to, null, 100));
  }

  private List<AuditEntry> audit(AuditQuery query) {
    return store.read(StoreOp.AUDIT, tx -> tx.auditList(query));
  }

  @Test
  void pagesBackwardsWithTheSeqCursor() {
    var appended = new ArrayList<Long>();
    for (int i = 0; i < 7; i++) {
      appended.add(append(entry(T0.plusSeconds(i), i % 2 == 0 ? "aaaaaaaaaaaa" : null, "a" + i)));
    }

    var pages = new ArrayList<List<Long>>();
    AuditQuery query = AuditQuery.latest(3);
    while (true) {
      List<AuditEntry> page = audit(query);
      if (page.isEmpty()) {
        break;
      }
      pages.add(seqs(page));
      query = query.before(page.getLast().seq());
    }

    assertThat(pages).hasSize(3);
    assertThat(pages.get(0)).hasSize(3);
    assertThat(pages.stream().flatMap(List::stream).toList())
        .containsExactlyElementsOf(appended.reversed());
    assertThat(
            seqs(
                store.read(
                    StoreOp.AUDIT,
                    tx ->
                        tx.auditList(
                            new AuditQuery(
                                "aaaaaaaaaaaa", null, null, null, appended.get(4), 10)))))
        .as("a cursor combined with a filter")
        .containsExactly(appended.get(2), appended.get(0));
  }

  @Test
  void returnsAtMostLimitEntries() {
    for (int i = 0; i < 5; i++) {
      append(entry(T0.plusSeconds(i), null, "auth"));
    }

    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(2))))
        .hasSize(2);
    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(1))))
        .hasSize(1);
    assertThat(
            store.read(
                StoreOp.AUDIT,
                (StoreTx tx) -> tx.auditList(AuditQuery.latest(AuditQuery.MAX_LIMIT))))
        .hasSize(5);
  }

  @Test
  void aQueryOutsideOneToFiveHundredIsRefusedBeforeReachingTheStore() {
    assertThatThrownBy(() -> AuditQuery.latest(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 500");
    assertThatThrownBy(() -> AuditQuery.latest(AuditQuery.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("501");
  }

  @Test
  void concurrentAppendsGetDistinctSeqs() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(APPENDERS);
    var start = new CountDownLatch(1);
    var results = new ArrayList<Future<List<Long>>>();
    try {
      for (int t = 0; t < APPENDERS; t++) {
        String action = "thread." + t;
        Callable<List<Long>> appender =
            () -> {
              start.await();
              var mine = new ArrayList<Long>();
              for (int i = 0; i < APPENDS_EACH; i++) {
                mine.add(append(entry(T0.plusMillis(i), null, action)));
              }
              return mine;
            };
        results.add(pool.submit(appender));
      }
      start.countDown();
      var all = new HashSet<Long>();
      for (Future<List<Long>> result : results) {
        List<Long> mine = result.get(2, TimeUnit.MINUTES);
        assertThat(mine).as("one thread's seqs, in its order").isSorted();
        all.addAll(mine);
      }
      assertThat(all).hasSize(APPENDERS * APPENDS_EACH);
    } finally {
      pool.shutdownNow();
    }

    var listed = new ArrayList<Long>();
    AuditQuery query = AuditQuery.latest(AuditQuery.MAX_LIMIT);
    for (List<AuditEntry> page = audit(query); !page.isEmpty(); page = audit(query)) {
      listed.addAll(seqs(page));
      query = query.before(page.getLast().seq());
    }
    assertThat(listed).hasSize(APPENDERS * APPENDS_EACH).doesNotHaveDuplicates();
    assertThat(listed).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    assertThat(
            store.read(
                StoreOp.AUDIT,
                (StoreTx tx) ->
                    tx.auditList(new AuditQuery(null, "thread.3", null, null, null, 500))))
        .hasSize(APPENDS_EACH);
  }

  // --- audit retention ---

  @Test
  void auditPruneDeletesOnlyEntriesOlderThanTheCutoffFencedByTheTerm() {
    long old1 = append(entry(T0, "aaaaaaaaaaaa", "job.submit"));
    long old2 = append(entry(T0.plusSeconds(1), null, "auth"));
    long young = append(entry(T0.plus(Duration.ofDays(2)), "aaaaaaaaaaaa", "job.cancel"));
    LeaderTerm leader = lead("node-a", T0);
    Instant cutoff = T0.plus(Duration.ofDays(1));

    assertThat(
            Retention.rows(
                store,
                new LeaderTerm("node-a", leader.term() + 1),
                T0,
                Retained.AUDIT,
                cutoff,
                100))
        .as("a stale leader term prunes nothing")
        .isZero();
    assertThat(
            Retention.rows(
                store, new LeaderTerm("node-b", leader.term()), T0, Retained.AUDIT, cutoff, 100))
        .as("another node's term prunes nothing")
        .isZero();
    assertThat(seqs(store.read(StoreOp.AUDIT, tx -> tx.auditList(AuditQuery.latest(10)))))
        .containsExactly(young, old2, old1);

    assertThat(Retention.rows(store, leader, T0, Retained.AUDIT, cutoff, 100)).isEqualTo(2);

    assertThat(seqs(store.read(StoreOp.AUDIT, tx -> tx.auditList(AuditQuery.latest(10)))))
        .containsExactly(young);
    assertThat(Retention.rows(store, leader, T0, Retained.AUDIT, cutoff, 100))
        .as("nothing left to prune")
        .isZero();
  }

  @Test
  void auditPruneDeletesInBoundedBatchesOldestFirst() {
    var appended = new ArrayList<Long>();
    for (int i = 0; i < 5; i++) {
      appended.add(append(entry(T0.plusSeconds(i), null, "auth")));
    }
    LeaderTerm leader = lead("node-a", T0);
    Instant cutoff = T0.plus(Duration.ofDays(1));

    assertThat(Retention.rows(store, leader, T0, Retained.AUDIT, cutoff, 2)).isEqualTo(2);
    assertThat(seqs(store.read(StoreOp.AUDIT, tx -> tx.auditList(AuditQuery.latest(10)))))
        .as("the two oldest went first")
        .containsExactly(appended.get(4), appended.get(3), appended.get(2));
    assertThat(Retention.rows(store, leader, T0, Retained.AUDIT, cutoff, 2)).isEqualTo(2);
    assertThat(Retention.rows(store, leader, T0, Retained.AUDIT, cutoff, 2)).isEqualTo(1);
    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(10))))
        .isEmpty();
  }
}
