package io.taskmill.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditRecordsTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static AuditEntry entry(
      String keyId, Role role, String action, String outcome, String detail) {
    return new AuditEntry(0, T, keyId, role, action, null, outcome, null, null, detail);
  }

  @Test
  void anEntryChecksWhatTheServerChooses() {
    assertThatThrownBy(() -> entry(null, null, "", "ok", null)).hasMessageContaining("action");
    assertThatThrownBy(() -> entry(null, null, "a".repeat(101), "ok", null))
        .hasMessageContaining("1 to 100");
    assertThatThrownBy(() -> entry(null, null, "auth", null, null)).hasMessageContaining("outcome");
    assertThatThrownBy(() -> entry("not a key id", null, "auth", "ok", null))
        .hasMessageContaining("not a key id");
    assertThatThrownBy(() -> entry(null, Role.ADMIN, "auth", "ok", null))
        .hasMessageContaining("no keyId");
    assertThatThrownBy(() -> new AuditEntry(-1, T, null, null, "a", null, "ok", null, null, null))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> new AuditEntry(0, null, null, null, "a", null, "ok", null, null, null))
        .hasMessageContaining("no time");
  }

  @Test
  void anEntryFitsWhatCallersSendIntoItsColumns() {
    AuditEntry e = entry(null, null, "auth", "denied", "d".repeat(10_000) + "\0");
    assertThat(e.detail()).hasSize(AuditEntry.MAX_DETAIL_LENGTH).endsWith("d…");

    // A cut never splits a surrogate pair.
    String emoji = "🚀".repeat(AuditEntry.MAX_DETAIL_LENGTH);
    String cut = entry(null, null, "auth", "denied", emoji).detail();
    assertThat(cut).endsWith("🚀…").hasSizeLessThanOrEqualTo(AuditEntry.MAX_DETAIL_LENGTH);

    assertThat(entry(null, null, "auth", "ok", "a\0b").detail()).isEqualTo("a\uFFFDb");
    assertThat(entry(null, null, "auth", "ok", "short").detail()).isEqualTo("short");
  }

  @Test
  void aKeyWithoutARoleIsAnUnknownKey() {
    assertThat(entry("abcdefgh2345", null, "auth", "denied", null).keyId())
        .isEqualTo("abcdefgh2345");
  }

  @Test
  void aQueryChecksItsLimitCursorAndRange() {
    assertThat(AuditQuery.latest(1).limit()).isEqualTo(1);
    assertThat(AuditQuery.latest(500).limit()).isEqualTo(500);
    assertThatThrownBy(() -> AuditQuery.latest(0)).hasMessageContaining("use 1 to 500");
    assertThatThrownBy(() -> AuditQuery.latest(501)).hasMessageContaining("501");
    assertThatThrownBy(() -> AuditQuery.latest(10).before(0)).hasMessageContaining("beforeSeq");
    assertThatThrownBy(() -> new AuditQuery(null, null, T.plusSeconds(1), T, null, 10))
        .hasMessageContaining("after to");
    assertThat(new AuditQuery(null, null, T, T, null, 10).from()).isEqualTo(T);
    assertThat(AuditQuery.latest(10).before(42).beforeSeq()).isEqualTo(42L);
  }
}
