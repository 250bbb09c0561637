package io.taskmill.access;

/**
 * A key just generated, with its secret: the only time the secret exists outside the caller's
 * hands. Show it once, store only {@link #key()}, and let this object go.
 *
 * @param key the key to store; its {@code secretHash} is the hash of {@code secret}
 * @param secret {@code tm_<id>_<43 characters of base64url>}
 */
public record NewApiKey(ApiKey key, String secret) {

  /** Checks that the secret belongs to the key, so a mismatched pair never gets stored. */
  public NewApiKey {
    if (key == null || secret == null) {
      throw new IllegalArgumentException("a new API key needs both the key and its secret");
    }
    if (!ApiKeys.idOf(secret).map(key.id()::equals).orElse(false)
        || !ApiKeys.hash(secret).equals(key.secretHash())) {
      throw new IllegalArgumentException(
          "the secret does not belong to API key "
              + key.id()
              + ": its id or hash differs (create both with ApiKeys.generate)");
    }
  }

  /** Leaves the secret out, so logging this object cannot leak it. */
  @Override
  public String toString() {
    return "NewApiKey[key=" + key + ", secret=tm_" + key.id() + "_…]";
  }
}
