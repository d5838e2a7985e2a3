package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.millrace.processors.Verdict;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.Origin;

/**
 * Pages built to hurt the clean stage: each is rejected with its reason or cleaned, and the cleaner
 * goes on with the next document. Outcomes only, never times.
 */
class HostileHtmlTest {

  private static final int MAX_BYTES = 64 << 20;
  private static final Origin ORIGIN = new Origin("docs.raw", 0, 7);
  private static final String NEXT_PAGE =
      "<p>The next document is an ordinary page, and the cleaner must still read it.</p>";

  /** Generous, so that a loaded machine cannot turn the outcomes below into timeouts. */
  private final DocumentCleaner cleaner =
      new DocumentCleaner(MAX_BYTES, 256, Duration.ofSeconds(60));

  @Test
  void aFiftyMegabytePageIsCleanedWithinTheDefaultBudgetOrRejectedAsTimedOut() {
    DocumentCleaner defaultBudget =
        new DocumentCleaner(MAX_BYTES, 256, TextExtractor.DEFAULT_BUDGET);

    Verdict<CleanDocument> verdict = defaultBudget.judge(null, page(fiftyMegabytes()), ORIGIN);

    if (verdict instanceof Verdict.Reject<CleanDocument> reject) {
      assertThat(reject.rejected().getReason()).isEqualTo("extraction_timeout");
    } else {
      assertThat(textOf(verdict)).startsWith("Paragraph number 0 of a very long page");
    }
    assertStillWorks(defaultBudget);
  }

  @Test
  void aFiftyMegabytePageRunsOutOfATinyBudget() {
    DocumentCleaner hurried = new DocumentCleaner(MAX_BYTES, 256, Duration.ofMillis(1));

    Verdict<CleanDocument> verdict = hurried.judge(null, page(fiftyMegabytes()), ORIGIN);

    assertThat(reasonOf(verdict)).isEqualTo("extraction_timeout");
    assertThat(((Verdict.Reject<CleanDocument>) verdict).rejected().getDetail())
        .contains("budget of 1 ms");
    assertStillWorks(cleaner);
  }

  @Test
  void nestingAHundredThousandDeepNeitherOverflowsTheStackNorLosesTheText() {
    for (String tag : new String[] {"div", "span", "li"}) {
      String html =
          ("<" + tag + ">").repeat(100_000)
              + "The text at the bottom of a very deep page is still text that someone wrote."
              + ("</" + tag + ">").repeat(100_000);

      assertThat(textOf(cleaner.judge(null, page(html), ORIGIN)))
          .as(tag)
          .contains("The text at the bottom of a very deep page");
    }
    assertStillWorks(cleaner);
  }

  @Test
  void aPageWithoutTextIsRejectedAsEmpty() {
    String html =
        "<html><head><title></title><script>var a = 1;</script><style>p{}</style></head><body>"
            + "<div><img src=a.png></div><nav><a href=/>Home</a></nav>"
            + "<!-- a comment --><svg><text>drawn</text></svg></body></html>";

    assertThat(reasonOf(cleaner.judge(null, page(html), ORIGIN))).isEqualTo("empty_text");
    assertStillWorks(cleaner);
  }

  @Test
  void binaryDataLabelledAsHtmlIsRejectedAsBinary() {
    byte[] binary = new byte[4096];
    new Random(11).nextBytes(binary);
    binary[10] = 0;

    assertThat(reasonOf(cleaner.judge(null, page(binary, "text/html"), ORIGIN)))
        .isEqualTo("binary_payload");
    assertStillWorks(cleaner);
  }

  @Test
  void utf8DeclaredAsLatin1IsRepairedAndLatin1DeclaredAsUtf8IsRejected() {
    String prose =
        "<p>Le café du village ouvre à l'aube, et les habitués y prennent leur crème avant de"
            + " partir aux champs — déjà depuis des générations.</p>";

    Verdict<CleanDocument> utf8AsLatin1 =
        cleaner.judge(
            null,
            page(prose.getBytes(StandardCharsets.UTF_8), "text/html; charset=ISO-8859-1"),
            ORIGIN);
    Verdict<CleanDocument> latin1AsUtf8 =
        cleaner.judge(
            null,
            page(
                prose.replace("—", "-").getBytes(StandardCharsets.ISO_8859_1),
                "text/html; charset=UTF-8"),
            ORIGIN);

    assertThat(textOf(utf8AsLatin1)).contains("Le café du village ouvre à l'aube").contains("—");
    assertThat(reasonOf(latin1AsUtf8)).isEqualTo("invalid_utf8");
    assertStillWorks(cleaner);
  }

  private static String fiftyMegabytes() {
    StringBuilder html = new StringBuilder(52 << 20).append("<html><body>");
    for (int i = 0; html.length() < 50 << 20; i++) {
      html.append("<div class=\"row\"><p>Paragraph number ")
          .append(i)
          .append(" of a very long page, which says the same thing again and again, and it is")
          .append(" written to use up the time of whoever reads it.</p></div>\n");
    }
    return html.append("</body></html>").toString();
  }

  private static void assertStillWorks(DocumentCleaner cleaner) {
    assertThat(textOf(cleaner.judge(null, page(NEXT_PAGE), ORIGIN)))
        .isEqualTo("The next document is an ordinary page, and the cleaner must still read it.");
  }

  private static byte[] page(String html) {
    return page(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=UTF-8");
  }

  private static byte[] page(byte[] body, String contentType) {
    return AvroSerde.rawDocument()
        .encode(
            RawDocument.newBuilder()
                .setId("hostile")
                .setSource("test")
                .setContentType(contentType)
                .setBody(ByteBuffer.wrap(body))
                .build());
  }

  private static String textOf(Verdict<CleanDocument> verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Pass.class);
    return ((Verdict.Pass<CleanDocument>) verdict).value().getText();
  }

  private static String reasonOf(Verdict<CleanDocument> verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Reject.class);
    return ((Verdict.Reject<CleanDocument>) verdict).rejected().getReason();
  }
}
