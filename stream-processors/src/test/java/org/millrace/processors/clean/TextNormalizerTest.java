package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
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

  @Test
  void repairsUtf8ReadAsWindows1252() {
    assertThat(normalizer.normalize("caf\u00C3\u00A9 cr\u00C3\u00A8me")).isEqualTo("café crème");
    assertThat(
            normalizer.normalize(
                "it\u00E2\u20AC\u2122s \u00E2\u20AC\u0153quoted\u00E2\u20AC\u009D"))
        .as("curly quotes, the closing one through a C1 control as Latin-1 decoding leaves it")
        .isEqualTo("it\u2019s \u201Cquoted\u201D");
    assertThat(
            normalizer.normalize(
                "\u00D0\u00BF\u00D1\u20AC\u00D0\u00B8\u00D0\u00B2\u00D0\u00B5\u00D1\u201A"))
        .isEqualTo("привет");
    assertThat(normalizer.normalize("\u00F0\u0178\u02DC\u20AC")).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void repairsTextMangledTwice() {
    assertThat(normalizer.normalize("caf\u00C3\u0192\u00C2\u00A9")).isEqualTo("café");
  }

  @Test
  void repairsUtf8BytesReadAsWindows1252OrLatin1() {
    String original = "naïve café — “déjà vu” – 東京 – Ελλάδα – привет 😀";

    assertThat(normalizer.normalize(misread(original, StandardCharsets.ISO_8859_1)))
        .isEqualTo(original);
    assertThat(normalizer.normalize(misread(original, Charset.forName("windows-1252"))))
        .isEqualTo(original);
  }

  /**
   * The UTF-8 bytes of {@code text} read in {@code charset}, byte by byte; the five bytes
   * Windows-1252 leaves undefined read as Latin-1 (as browsers and Python's "sloppy" codecs do).
   */
  private static String misread(String text, Charset charset) {
    StringBuilder misread = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      String c = new String(new byte[] {b}, charset);
      misread.append(c.equals("\uFFFD") ? (char) (b & 0xFF) : c.charAt(0));
    }
    assertThat(misread.toString()).isNotEqualTo(text);
    return misread.toString();
  }

  @Test
  void leavesTextThatIsFineAlone() {
    for (String fine :
        new String[] {
          "naïve café, déjà vu, São Paulo, SÃO PAULO, Ångström, Øresund",
          "«\u00A0CAFÉ\u00A0» et «\u00A0café\u00A0»", // French spacing: É + no-break space + »
          "perché…” disse", // é … ” are valid UTF-8 once mapped back to bytes
          "CAFÉ” and ÉTÉ»",
          "Ελληνικά, русский, 中文, العربية, emoji \uD83D\uDE00",
          "£5 or €5 — 10° C ± 2 ©",
          "plain ASCII"
        }) {
      String spacesNormalised = fine.replace('\u00A0', ' ');
      assertThat(normalizer.normalize(fine)).as(fine).isEqualTo(spacesNormalised);
    }
  }
}
