package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  private final TextNormalizer normalizer = new TextNormalizer();

  @Test
  void composesToNfc() {
    String decomposed = "cafe\u0301"; // e + combining acute accent

    assertThat(normalizer.normalize(decomposed)).isEqualTo("caf\u00E9").hasSize(4);
  }

  @Test
  void makesLineEndingsLineFeedsAndDropsControlCharacters() {
    assertThat(normalizer.normalize("one\r\ntwo\rthree\u2028four"))
        .isEqualTo("one\ntwo\nthree\nfour");
    assertThat(normalizer.normalize("bell\u0007 and\u0000 nul\uFEFF")).isEqualTo("bell and nul");
  }

  @Test
  void collapsesSpacesAndBlankLines() {
    String messy = "  first \t  line  \n\n\n\n   second\u00A0\u00A0line \n \n\tthird";

    assertThat(normalizer.normalize(messy)).isEqualTo("first line\n\nsecond line\n\nthird");
  }

  @Test
  void whitespaceAloneBecomesEmpty() {
    assertThat(normalizer.normalize(" \n\t\r\n \u3000 ")).isEmpty();
  }
}
