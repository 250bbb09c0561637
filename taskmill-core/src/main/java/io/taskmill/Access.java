package io.taskmill;

import io.taskmill.access.ApiKey;
import io.taskmill.access.ApiKeys;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.internal.Engine;
import io.taskmill.spi.Ops.ApiKeyByHash;
import io.taskmill.spi.Ops.ApiKeyList;
import io.taskmill.spi.Ops.ApiKeyRevoke;
import io.taskmill.spi.StoreOp;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * API keys and the audit trail, kept in the engine's store so every server sharing it agrees on who
 * may call and what they did.
 */
public final class Access {
  private final Engine engine;

  Access(Engine engine) {
    this.engine = engine;
  }

  /** How many keys are active (not revoked); 0 tells a server it must create the first one. */
  public int activeKeyCount() {
    return (int) keys().stream().filter(ApiKey::active).count();
  }

  /**
   * Stores a new key; false (and nothing written) when its id or its secret's hash is taken.
   * Nothing but the hash of the secret is stored.
   */
  public boolean addKey(ApiKey key) {
    Objects.requireNonNull(key, "key");
    return engine.store().inTransaction(StoreOp.API_KEY, tx -> tx.apiKeyInsert(key));
  }

  /**
   * The key a presented secret belongs to, revoked or not (check {@link ApiKey#active()}); empty
   * when the secret is not a Taskmill key or no key has it. One indexed lookup by the secret's
   * hash.
   */
  public Optional<ApiKey> keyBySecret(String secret) {
    if (secret == null || ApiKeys.idOf(secret).isEmpty()) {
      return Optional.empty();
    }
    String hash = ApiKeys.hash(secret);
    return engine.store().read(StoreOp.API_KEY, tx -> tx.first(new ApiKeyByHash(hash)));
  }

  /** The key with this id, revoked or not. */
  public Optional<ApiKey> key(String id) {
    Objects.requireNonNull(id, "id");
    return keys().stream().filter(k -> k.id().equals(id)).findFirst();
  }

  /** Every key, revoked ones included, newest first (then by id). */
  public List<ApiKey> keys() {
    return engine.store().read(StoreOp.API_KEY, tx -> tx.query(new ApiKeyList()));
  }

  /**
   * Revokes a key now, for good; false when no key has this id or it was revoked already (the first
   * revocation time stays).
   */
  public boolean revokeKey(String id) {
    Objects.requireNonNull(id, "id");
    return engine
        .store()
        .inTransaction(StoreOp.API_KEY, tx -> tx.change(new ApiKeyRevoke(id, engine.now())) == 1);
  }

  /**
   * Appends entries to the audit trail in one transaction, in list order, and returns their seqs,
   * each greater than that of every entry appended before; the entries' own seqs are ignored.
   * Entries are never changed afterwards, and deleted only by retention.
   */
  public List<Long> record(List<AuditEntry> entries) {
    if (Objects.requireNonNull(entries, "entries").isEmpty()) {
      return List.of();
    }
    return engine.store().inTransaction(StoreOp.AUDIT, tx -> tx.auditAppendAll(entries));
  }

  /** Audit entries matching the query, highest seq (newest) first, below its cursor. */
  public List<AuditEntry> audit(AuditQuery query) {
    Objects.requireNonNull(query, "query");
    return engine.store().read(StoreOp.AUDIT, tx -> tx.auditList(query));
  }
}
