package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentHashTest {

  @Test
  void isA128BitHexDigestThatIgnoresHowWhitespaceIsLaidOut() {
    String hash = ContentHash.of("The quick brown fox.\nJumps over.");

    assertThat(hash).hasSize(32).matches("[0-9a-f]{32}");
    assertThat(ContentHash.of("  The quick   brown fox. Jumps\n\n over. ")).isEqualTo(hash);
  }

  @Test
  void differsForDifferentText() {
    assertThat(ContentHash.of("The quick brown fox."))
        .isNotEqualTo(ContentHash.of("The quick brown fox!"));
    assertThat(ContentHash.of("Case")).isNotEqualTo(ContentHash.of("case"));
  }
}
