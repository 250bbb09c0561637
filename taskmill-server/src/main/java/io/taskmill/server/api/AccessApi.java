package io.taskmill.server.api;

import io.taskmill.Access;
import io.taskmill.access.ApiKey;
import io.taskmill.access.ApiKeys;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.access.NewApiKey;
import io.taskmill.access.Role;
import io.taskmill.server.http.AuditTrail;
import io.taskmill.server.http.Authenticator;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.GroupCommit;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Principal;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * API keys and the audit trail, kept in the store so every server sharing it agrees: {@code
 * /api/v1/keys} (admin: create, list, revoke) and {@code /api/v1/audit} (admin). Both need an admin
 * key that is not limited to some queues: keys and the audit trail span every queue, so a
 * queue-scoped admin seeing them would see beyond its queues (and could mint a broader key). Also
 * the authenticator (keys looked up by hash, cached briefly with their role and queues so a
 * revocation reaches every node within {@link #CACHE_TTL}) and the audit trail every change is
 * recorded in.
 */
public final class AccessApi implements Authenticator, AuditTrail, AutoCloseable {
  /** How long a key lookup is trusted; a revocation takes at most this long to apply everywhere. */
  public static final Duration CACHE_TTL = Duration.ofSeconds(2);

  private final Access access;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Optional<Principal> who, long expiresAtNanos) {}

  /** Concurrent requests' audit rows share a commit. */
  private final GroupCommit<AuditEntry, Long> auditWriter;

  public AccessApi(Access access, Clock clock) {
    this.access = access;
    this.clock = clock;
    this.auditWriter =
        new GroupCommit<>(
            "taskmill-audit",
            500,
            (entries, done) -> {
              List<Long> seqs = access.record(entries);
              for (int i = 0; i < seqs.size(); i++) {
                done.get(i).complete(seqs.get(i));
              }
            });
  }

  @Override
  public void close() {
    auditWriter.close();
  }

  public List<Route> routes() {
    return List.of(
        Route.change("POST", "/api/v1/keys", Role.ADMIN, "key.create", this::create),
        Route.read("GET", "/api/v1/keys", Role.ADMIN, this::list),
        Route.change("POST", "/api/v1/keys/{id}/revoke", Role.ADMIN, "key.revoke", this::revoke),
        Route.read("GET", "/api/v1/audit", Role.ADMIN, this::audit));
  }

  /**
   * Creates the first admin key when the store has no active key: {@code given} when set (for
   * automated deployments), else a generated one.
   *
   * @return the new key's secret, to show once, or empty when keys exist already
   */
  public Optional<String> bootstrap(String given) {
    if (access.activeKeyCount() > 0) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    NewApiKey made = ApiKeys.generate("bootstrap admin", Role.ADMIN, now, "bootstrap");
    ApiKey key = made.key();
    String secret = made.secret();
    if (given != null) {
      Optional<String> id = ApiKeys.idOf(given);
      if (id.isEmpty()) {
        throw new IllegalArgumentException(
            "TASKMILL_BOOTSTRAP_ADMIN_KEY is not a Taskmill key: "
                + "it must look like tm_<12 id characters>_<43 secret characters>; create one with "
                + "the server once and copy it, or leave the variable unset");
      }
      key =
          new ApiKey(id.get(), key.name(), Role.ADMIN, ApiKeys.hash(given), now, null, "bootstrap");
      secret = given;
    }
    // Two servers starting on one empty database: the key id is unique, so one insert wins.
    return access.addKey(key) && given == null ? Optional.of(secret) : Optional.empty();
  }

  @Override
  public Optional<Principal> authenticate(String secret) {
    if (ApiKeys.idOf(secret).isEmpty()) {
      return Optional.empty();
    }
    String hash = ApiKeys.hash(secret);
    long now = System.nanoTime();
    Cached hit = cache.get(hash);
    if (hit != null && hit.expiresAtNanos - now > 0) {
      return hit.who;
    }
    Optional<Principal> who =
        access
            .keyBySecret(secret)
            .filter(ApiKey::active)
            .map(k -> new Principal(k.id(), k.name(), k.role(), k.queues()));
    if (cache.size() > 10_000) {
      cache.clear(); // bounded: a flood of made-up keys cannot grow it
    }
    cache.put(hash, new Cached(who, now + CACHE_TTL.toNanos()));
    return who;
  }

  @Override
  public void record(
      Principal who,
      String action,
      String resource,
      String outcome,
      String remoteAddress,
      String requestId,
      String detail) {
    try {
      auditWriter.submit(
          new AuditEntry(
              0,
              clock.instant(),
              who.keyId(),
              who.role(),
              action,
              resource,
              outcome,
              remoteAddress,
              requestId,
              detail));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording the audit entry", e);
    }
  }

  /**
   * Refuses a queue-scoped caller: keys and the audit trail belong to no queue. Checked before
   * anything is read, so a scoped admin learns nothing about other keys.
   */
  private static void requireUnscoped(Exchange ex) {
    Principal who = ex.principal();
    if (who.scoped()) {
      throw new Problem(
          403,
          "Forbidden",
          "managing API keys and reading the audit trail needs "
              + "an admin key for every queue; key "
              + who.keyId()
              + " is limited to the queues "
              + String.join(", ", who.queues()),
          null);
    }
  }

  private void create(Exchange ex) throws Exception {
    requireUnscoped(ex);
    Body body = Body.of(ex.json(), "KeyCreation", "body");
    String name = body.requiredText("name");
    String roleText = body.requiredText("role");
    Role role;
    try {
      role = Role.parse(roleText);
      ApiKeys.requireValidName(name);
    } catch (IllegalArgumentException e) {
      throw Problem.unprocessable(
          Fields.clip(e.getMessage()), name.length() > 100 ? "name" : "role");
    }
    JsonNode queuesNode = body.node("queues");
    if (queuesNode != null && queuesNode.isNull()) {
      throw Problem.badRequest(
          "queues must be an array of queue names; leave it out for a key "
              + "that may use every queue",
          "queues");
    }
    List<String> queues = body.strings("queues");
    if (queues != null) {
      try {
        ApiKeys.requireValidQueues(queues);
      } catch (IllegalArgumentException e) {
        throw Problem.unprocessable(Fields.clip(e.getMessage()), "queues");
      }
    }
    requireNotBroader(ex.principal(), role, queues);
    NewApiKey made =
        ApiKeys.generate(
            name,
            role,
            clock.instant(),
            ex.principal().keyId() == null ? ex.principal().name() : ex.principal().keyId(),
            queues);
    if (!access.addKey(made.key())) {
      throw Problem.conflict("a key with id " + made.key().id() + " exists; try again");
    }
    ex.resource("key " + made.key().id());
    ObjectNode json = key(made.key());
    json.put("secret", made.secret());
    json.put("note", "the secret is shown only now; store it safely");
    ex.reply(201, json);
  }

  /**
   * A key never creates a key that may do more than itself: a role it does not allow, or a queue it
   * may not use. Only unscoped admins create keys today, so this holds already; it is checked here
   * too so that loosening {@link #requireUnscoped} later cannot open an escalation.
   */
  private static void requireNotBroader(Principal creator, Role role, List<String> queues) {
    if (creator.role() != null && !creator.role().allows(role)) {
      throw new Problem(
          403,
          "Forbidden",
          "key "
              + creator.keyId()
              + " has the role '"
              + creator.role().text()
              + "' and cannot create a key with the role '"
              + role.text()
              + "'",
          "role");
    }
    if (creator.scoped() && (queues == null || !creator.queues().containsAll(queues))) {
      throw new Problem(
          403,
          "Forbidden",
          "key "
              + creator.keyId()
              + " may only use the queues "
              + String.join(", ", creator.queues())
              + " and cannot create a key for "
              + (queues == null ? "every queue" : "the queues " + String.join(", ", queues)),
          "queues");
    }
  }

  private void list(Exchange ex) {
    requireUnscoped(ex);
    var json = Json.object();
    var items = json.putArray("items");
    access.keys().forEach(k -> items.add(key(k)));
    Fields.page(json, null);
    ex.reply(200, json);
  }

  private void revoke(Exchange ex) {
    String id = ex.param("id");
    ex.resource("key " + id);
    requireUnscoped(ex);
    if (!ApiKeys.isWellFormedId(id)) {
      throw Problem.badRequest(
          "key id '"
              + Fields.clip(id)
              + "' is malformed; ids are the 12 "
              + "characters shown by GET /api/v1/keys",
          "id");
    }
    ApiKey key = access.key(id).orElseThrow(() -> Problem.notFound("no key " + id));
    if (!access.revokeKey(id)) {
      throw Problem.conflict("key " + id + " is already revoked");
    }
    cache.clear();
    ex.reply(200, key(access.key(id).orElse(key)));
  }

  private void audit(Exchange ex) {
    requireUnscoped(ex);
    ex.onlyQuery(Set.of("keyId", "action", "from", "to", "limit", "cursor"));
    int limit = Fields.limit(ex.query("limit"));
    String cursor = ex.query("cursor");
    Long before = null;
    if (cursor != null) {
      try {
        before = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        before = -1L;
      }
      if (before < 1) {
        throw Problem.badRequest(
            "cursor must be a nextCursor value from an earlier page", "cursor");
      }
    }
    Instant from = Fields.instant(ex.query("from"), "from");
    Instant to = Fields.instant(ex.query("to"), "to");
    AuditQuery query;
    try {
      // One more than asked, to know whether a next page exists, within the store's cap.
      query =
          new AuditQuery(
              ex.query("keyId"),
              ex.query("action"),
              from,
              to,
              before,
              Math.min(limit + 1, AuditQuery.MAX_LIMIT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(Fields.clip(e.getMessage()), "from");
    }
    List<AuditEntry> entries = access.audit(query);
    var json = Json.object();
    var items = json.putArray("items");
    entries.stream()
        .limit(limit)
        .forEach(
            e -> {
              items
                  .addObject()
                  .put("seq", e.seq())
                  .put("at", e.at().toString())
                  .put("keyId", e.keyId())
                  .put("role", e.role() == null ? null : e.role().text())
                  .put("action", e.action())
                  .put("resource", e.resource())
                  .put("outcome", e.outcome())
                  .put("remoteAddress", e.remoteAddress())
                  .put("requestId", e.requestId())
                  .put("detail", e.detail());
            });
    boolean more =
        entries.size() > limit || (limit == AuditQuery.MAX_LIMIT && entries.size() == limit);
    Fields.page(json, more ? Long.toString(entries.get(limit - 1).seq()) : null);
    ex.reply(200, json);
  }

  private static ObjectNode key(ApiKey k) {
    var json =
        Json.object()
            .put("id", k.id())
            .put("name", k.name())
            .put("role", k.role().text())
            .put("createdAt", k.createdAt().toString())
            .put("createdBy", k.createdBy())
            .put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString())
            .put("active", k.active());
    if (k.queues() == null) {
      json.putNull("queues"); // every queue
    } else {
      k.queues().forEach(json.putArray("queues")::add);
    }
    return json;
  }
}
