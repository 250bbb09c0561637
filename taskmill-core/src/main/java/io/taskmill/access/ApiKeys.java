package io.taskmill.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes API keys and reads presented secrets. A secret reads {@code tm_<id>_<secret>}: {@code tm_}
 * marks it as Taskmill's (so secret scanners and people recognise it), {@code <id>} is the key's
 * public id (so a request names its key before any lookup) and {@code <secret>} is 32 bytes from
 * {@link SecureRandom} as 43 characters of unpadded base64url.
 *
 * <pre>{@code
 * NewApiKey created = ApiKeys.generate("ci deploys", Role.OPERATOR, clock.instant(), "first start");
 * taskmill.access().addKey(created.key());    // only the hash is stored
 * System.out.println(created.secret());       // shown once
 * ...
 * Optional<ApiKey> caller = taskmill.access().keyBySecret(presented);
 * }</pre>
 */
public final class ApiKeys {
  /** Every secret starts with this. */
  public static final String PREFIX = "tm_";

  /** Characters in a key id. */
  public static final int ID_LENGTH = 12;

  /** The longest key name accepted, in UTF-16 characters (as both databases store it). */
  public static final int MAX_NAME_LENGTH = 100;

  /** Most queues one scoped key may name; a key for more is clearer unscoped. */
  public static final int MAX_QUEUES = 100;

  /** RFC 4648 base32 in lower case: no 0/1/8/9, so an id never has an O-0 or I-1 mix-up. */
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  private static final int SECRET_BYTES = 32;

  /** 32 bytes as unpadded base64: ceil(32 * 8 / 6). */
  private static final int SECRET_CHARS = 43;

  private static final int SECRET_LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_CHARS;

  /**
   * A queue name, as {@code io.taskmill.job.Names#isQueueName} has it: this package depends on the
   * JDK only (DependencyRulesTest), so the rule is repeated here, and ApiKeysTest checks both
   * agree.
   */
  private static final Pattern QUEUE = Pattern.compile("[a-z][a-z0-9_.-]{0,99}");

  /** What a queue name must look like, as {@code io.taskmill.job.Names#QUEUE_RULE} says. */
  static final String QUEUE_RULE =
      "a queue name holds a-z, 0-9, '_', '-' or '.', starts with a letter and is at most 100"
          + " characters, like 'media' or 'mail-bulk'";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private ApiKeys() {}

  /**
   * A new key with a random id and secret, active from {@code now}. The id is 60 random bits, so
   * ids collide about once in a billion keys; a store refuses a taken id, and the caller then
   * generates again.
   *
   * @throws IllegalArgumentException when the name, role or createdBy is not valid
   */
  public static NewApiKey generate(String name, Role role, Instant now, String createdBy) {
    return generate(name, role, now, createdBy, null);
  }

  /**
   * As {@link #generate(String, Role, Instant, String)}, for a key limited to {@code queues} (null:
   * every queue).
   *
   * @throws IllegalArgumentException when the name, role, createdBy or queues is not valid
   */
  public static NewApiKey generate(
      String name, Role role, Instant now, String createdBy, List<String> queues) {
    var id = new StringBuilder(ID_LENGTH);
    for (int i = 0; i < ID_LENGTH; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    byte[] random = new byte[SECRET_BYTES];
    RANDOM.nextBytes(random);
    String secret = PREFIX + id + "_" + BASE64URL.encodeToString(random);
    var key = new ApiKey(id.toString(), name, role, hash(secret), now, null, createdBy, queues);
    return new NewApiKey(key, secret);
  }

  /**
   * The hash a store keeps of a secret: SHA-256 of its UTF-8 bytes, as 64 lower-case hex digits.
   *
   * <p>A fast, unsalted hash is the right choice here, unlike for passwords. Slow salted hashes
   * (bcrypt, Argon2) exist because passwords are guessable, so each guess must be made expensive;
   * our secrets are 256 random bits, which no amount of fast guessing finds, so slowness would buy
   * nothing and cost milliseconds of CPU on every request. Being unsalted also lets the store find
   * a key by its hash through a unique index, in one lookup, without ever comparing secrets in Java
   * (so there is no comparison whose timing could leak). A stolen table of hashes gives no usable
   * secret.
   */
  public static String hash(String secret) {
    if (secret == null) {
      throw new IllegalArgumentException("cannot hash a null secret");
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }

  /**
   * The key id inside a presented secret, if it is well formed ({@code tm_}, a {@value #ID_LENGTH}
   * character id, {@code _}, 43 characters of base64url); empty for anything else, including null.
   * Never throws: its input comes straight from a request header. A well-formed secret is not yet a
   * valid one; only a stored hash says that.
   */
  public static Optional<String> idOf(String presentedSecret) {
    if (presentedSecret == null
        || presentedSecret.length() != SECRET_LENGTH
        || !presentedSecret.startsWith(PREFIX)
        || presentedSecret.charAt(PREFIX.length() + ID_LENGTH) != '_') {
      return Optional.empty();
    }
    String id = presentedSecret.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
    if (!isWellFormedId(id)) {
      return Optional.empty();
    }
    for (int i = SECRET_LENGTH - SECRET_CHARS; i < SECRET_LENGTH; i++) {
      if (!isBase64Url(presentedSecret.charAt(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(id);
  }

  /** Whether {@code id} is {@value #ID_LENGTH} characters of lower-case base32. */
  public static boolean isWellFormedId(String id) {
    if (id == null || id.length() != ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (ID_ALPHABET.indexOf(id.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a key's name: 1 to {@value #MAX_NAME_LENGTH} characters, printable (no control or
   * line-separator characters, no unpaired surrogates), not starting or ending with whitespace.
   *
   * @return the name, unchanged
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static String requireValidName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "API key name is empty: give it 1 to "
              + MAX_NAME_LENGTH
              + " characters saying what the key is for, e.g. \"ci deploys\"");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "API key name is "
              + name.length()
              + " characters long: shorten it to at most "
              + MAX_NAME_LENGTH);
    }
    if (Character.isWhitespace(name.codePointAt(0))
        || Character.isWhitespace(name.codePointBefore(name.length()))) {
      throw new IllegalArgumentException(
          "API key name '" + name + "' starts or ends with whitespace: trim it");
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (!isPrintable(cp)) {
        throw new IllegalArgumentException(
            "API key name has an unprintable character U+"
                + String.format("%04X", cp)
                + " at index "
                + i
                + ": use printable characters only (no control characters or line breaks)");
      }
      i += Character.charCount(cp);
    }
    return name;
  }

  /**
   * Checks a key's queue scope: 1 to {@value #MAX_QUEUES} distinct valid queue names. An empty list
   * is refused rather than read as "no queue", since a key that may use nothing is a mistake, and
   * "every queue" is written as no list at all.
   *
   * @return the list, unchanged
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static List<String> requireValidQueues(List<String> queues) {
    if (queues == null || queues.isEmpty()) {
      throw new IllegalArgumentException(
          "API key queues is empty: name 1 to "
              + MAX_QUEUES
              + " queues the key may use, e.g. [\"mail\"], or leave queues out for every queue");
    }
    if (queues.size() > MAX_QUEUES) {
      throw new IllegalArgumentException(
          "API key queues names "
              + queues.size()
              + " queues: at most "
              + MAX_QUEUES
              + " are allowed; leave queues out for every queue");
    }
    var seen = new HashSet<String>();
    for (int i = 0; i < queues.size(); i++) {
      String q = queues.get(i);
      if (q == null || !QUEUE.matcher(q).matches()) {
        throw new IllegalArgumentException(
            "API key queues["
                + i
                + "] "
                + (q == null ? "null" : "'" + clip(q) + "'")
                + " is not a queue name: "
                + QUEUE_RULE);
      }
      if (!seen.add(q)) {
        throw new IllegalArgumentException(
            "API key queues names '" + q + "' twice: name each " + "queue once");
      }
    }
    return queues;
  }

  private static String clip(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }

  /** Whether {@code hash} looks like {@link #hash(String)}'s output. */
  static boolean isWellFormedHash(String hash) {
    if (hash == null || hash.length() != 64) {
      return false;
    }
    for (int i = 0; i < hash.length(); i++) {
      char c = hash.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE,
          Character.UNASSIGNED,
          Character.PRIVATE_USE ->
          false;
      default -> true;
    };
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }
}
