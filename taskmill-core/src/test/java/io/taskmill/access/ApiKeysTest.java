package io.taskmill.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.job.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static NewApiKey generate() {
    return ApiKeys.generate("ci deploys", Role.OPERATOR, NOW, "first start");
  }

  @Test
  void queueScopesAreCheckedAndSortedAndAgreeWithTheEnginesQueueNames() {
    var key =
        ApiKeys.generate("mailer", Role.OPERATOR, Instant.EPOCH, "test", List.of("render", "mail"))
            .key();
    assertThat(key.queues()).containsExactly("mail", "render");
    assertThat(key.scoped()).isTrue();
    assertThat(key.mayUse("mail")).isTrue();
    assertThat(key.mayUse("default")).isFalse();
    assertThat(ApiKeys.generate("all", Role.ADMIN, Instant.EPOCH, "test").key().mayUse("x"))
        .isTrue();

    assertThatThrownBy(() -> ApiKeys.requireValidQueues(List.of()))
        .hasMessageContaining("queues is empty")
        .hasMessageContaining("leave queues out");
    assertThatThrownBy(() -> ApiKeys.requireValidQueues(List.of("mail", "Mail!")))
        .hasMessageContaining("queues[1] 'Mail!' is not a queue name: a queue name holds");
    assertThatThrownBy(() -> ApiKeys.requireValidQueues(List.of("mail", "mail")))
        .hasMessageContaining("names 'mail' twice");
    var many = new ArrayList<String>();
    for (int i = 0; i < ApiKeys.MAX_QUEUES + 1; i++) {
      many.add("q" + i);
    }
    assertThatThrownBy(() -> ApiKeys.requireValidQueues(many))
        .hasMessageContaining("names 101 queues: at most 100");
    assertThatCode(() -> ApiKeys.requireValidQueues(many.subList(0, 100)))
        .doesNotThrowAnyException();

    // The access package repeats the engine's rule (it depends on the JDK only): they must agree.
    assertThat(ApiKeys.QUEUE_RULE).isEqualTo(Names.QUEUE_RULE);
    for (String name :
        List.of(
            "a",
            "mail-bulk",
            "m.a_i-l",
            "9a",
            "-a",
            "A",
            "",
            "a b",
            "ä",
            "a".repeat(100),
            "a".repeat(101))) {
      boolean accepted;
      try {
        ApiKeys.requireValidQueues(List.of(name));
        accepted = true;
      } catch (IllegalArgumentException e) {
        accepted = false;
      }
      assertThat(accepted).as(name).isEqualTo(Names.isQueueName(name));
    }
  }

  @Test
  void aSecretIsPrefixIdAndFortyThreeCharactersOfBase64Url() {
    NewApiKey created = generate();
    String secret = created.secret();

    assertThat(secret).matches("tm_[a-z2-7]{12}_[A-Za-z0-9_-]{43}");
    assertThat(secret.substring(3, 15)).isEqualTo(created.key().id());
    assertThat(Base64.getUrlDecoder().decode(secret.substring(16))).hasSize(32);
  }

  @Test
  void theKeyHoldsOnlyTheHashOfItsSecret() {
    NewApiKey created = generate();
    ApiKey key = created.key();

    assertThat(key.secretHash()).isEqualTo(ApiKeys.hash(created.secret())).matches("[0-9a-f]{64}");
    assertThat(key.toString()).doesNotContain(created.secret().substring(16));
    assertThat(created.toString()).doesNotContain(created.secret().substring(16));
    assertThat(key.name()).isEqualTo("ci deploys");
    assertThat(key.role()).isEqualTo(Role.OPERATOR);
    assertThat(key.createdAt()).isEqualTo(NOW);
    assertThat(key.createdBy()).isEqualTo("first start");
    assertThat(key.active()).isTrue();
    assertThat(key.allows(Role.VIEWER)).isTrue();
    assertThat(key.allows(Role.ADMIN)).isFalse();
  }

  @Test
  void everyGeneratedKeyIsDifferent() {
    var ids = new HashSet<String>();
    var secrets = new HashSet<String>();
    for (int i = 0; i < 1000; i++) {
      NewApiKey k = generate();
      ids.add(k.key().id());
      secrets.add(k.secret());
    }
    assertThat(ids).hasSize(1000);
    assertThat(secrets).hasSize(1000);
  }

  @Test
  void theHashIsStableHexSha256() {
    // sha256("abc"), FIPS 180-2 appendix B.1.
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    String secret = generate().secret();
    assertThat(ApiKeys.hash(secret)).isEqualTo(ApiKeys.hash(secret));
    assertThat(ApiKeys.hash(secret)).isNotEqualTo(ApiKeys.hash(secret + "x"));
    assertThatThrownBy(() -> ApiKeys.hash(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idOfReadsTheIdOfAWellFormedSecret() {
    NewApiKey created = generate();
    assertThat(ApiKeys.idOf(created.secret())).contains(created.key().id());
    // base64url may put '_' and '-' anywhere in the random part.
    assertThat(ApiKeys.idOf("tm_abcdefgh2345_" + "_-".repeat(21) + "A")).contains("abcdefgh2345");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "tm_",
        "tm_abcdefgh2345_",
        "Bearer tm_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "xx_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "tm_ABCDEFGH2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "tm_abcdefgh2301_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "tm_abcdefgh2345-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "tm_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "tm_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "tm_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "tm_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
        "tm_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé",
        "tm_abcdéfgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        " tm_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      })
  void idOfIsEmptyForAnythingMalformed(String presented) {
    assertThat(ApiKeys.idOf(presented)).isEmpty();
  }

  @Test
  void idOfNeverThrowsOnRandomInput() {
    var random = new Random(42);
    var inputs = new ArrayList<String>();
    for (int i = 0; i < 10_000; i++) {
      var sb = new StringBuilder(random.nextBoolean() ? "tm_" : "");
      int length = random.nextInt(70);
      for (int j = 0; j < length; j++) {
        sb.append((char) random.nextInt(random.nextBoolean() ? 128 : 0x10000));
      }
      inputs.add(sb.toString());
    }
    for (String input : inputs) {
      assertThatCode(() -> ApiKeys.idOf(input)).doesNotThrowAnyException();
    }
  }

  @Test
  void acceptsPrintableNamesUpToOneHundredCharacters() {
    for (String name : List.of("a", "ci deploys", "Zürich ops 🚀", "x".repeat(100))) {
      assertThat(ApiKeys.requireValidName(name)).isEqualTo(name);
    }
  }

  @Test
  void refusesBadNamesSayingWhy() {
    assertThatThrownBy(() -> ApiKeys.requireValidName(null)).hasMessageContaining("empty");
    assertThatThrownBy(() -> ApiKeys.requireValidName("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> ApiKeys.requireValidName("x".repeat(101)))
        .hasMessageContaining("101 characters")
        .hasMessageContaining("at most 100");
    assertThatThrownBy(() -> ApiKeys.requireValidName(" ops")).hasMessageContaining("whitespace");
    assertThatThrownBy(() -> ApiKeys.requireValidName("   ")).hasMessageContaining("whitespace");
    assertThatThrownBy(() -> ApiKeys.requireValidName("ops\nadmin"))
        .hasMessageContaining("U+000A")
        .hasMessageContaining("index 3");
    assertThatThrownBy(() -> ApiKeys.requireValidName("a\tb")).hasMessageContaining("U+0009");
    assertThatThrownBy(() -> ApiKeys.requireValidName("ops\u0000")).hasMessageContaining("U+0000");
    assertThatThrownBy(() -> ApiKeys.requireValidName("ops\u2028x")).hasMessageContaining("U+2028");
    assertThatThrownBy(() -> ApiKeys.requireValidName("ops\uD800x")).hasMessageContaining("U+D800");
    assertThatThrownBy(() -> ApiKeys.generate("", Role.ADMIN, NOW, "test"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeyRefusesFieldsThatCannotBeRight() {
    ApiKey k = generate().key();
    assertThatThrownBy(() -> new ApiKey("ABC", k.name(), k.role(), k.secretHash(), NOW, null, "t"))
        .hasMessageContaining("lower-case base32");
    assertThatThrownBy(() -> new ApiKey(k.id(), k.name(), null, k.secretHash(), NOW, null, "t"))
        .hasMessageContaining("no role");
    assertThatThrownBy(
            () -> new ApiKey(k.id(), k.name(), k.role(), generate().secret(), NOW, null, "t"))
        .hasMessageContaining("never the secret itself");
    assertThatThrownBy(
            () -> new ApiKey(k.id(), k.name(), k.role(), k.secretHash(), null, null, "t"))
        .hasMessageContaining("createdAt");
    assertThatThrownBy(() -> new ApiKey(k.id(), k.name(), k.role(), k.secretHash(), NOW, null, " "))
        .hasMessageContaining("createdBy");
  }

  @Test
  void aNewKeyRefusesASecretOfAnotherKey() {
    NewApiKey a = generate();
    NewApiKey b = generate();
    assertThatThrownBy(() -> new NewApiKey(a.key(), b.secret()))
        .hasMessageContaining("does not belong");
  }

  @Test
  void aRevokedKeyAllowsNothing() {
    ApiKey k = ApiKeys.generate("root", Role.ADMIN, NOW, "t").key();
    var revoked = new ApiKey(k.id(), k.name(), k.role(), k.secretHash(), NOW, NOW, "t");
    for (Role required : Role.values()) {
      assertThat(revoked.allows(required)).as(required.text()).isFalse();
    }
  }
}
