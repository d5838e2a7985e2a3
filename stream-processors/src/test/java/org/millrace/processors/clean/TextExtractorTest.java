package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;

class TextExtractorTest {

  private final TextExtractor extractor = new TextExtractor();
  private final TextNormalizer normalizer = new TextNormalizer();

  @Test
  void htmlKeepsBlocksAsLinesAndDropsScriptsAndStyles() throws Exception {
    String html =
        """
        <html><head><title> A page </title><style>p { color: red }</style></head>
        <body><h1>Heading</h1><p>First <b>bold</b> paragraph.</p><script>var x = 1;</script>
        <ul><li>one</li><li>two</li></ul><pre>  indented
          code</pre><p>Last&nbsp;one</p></body></html>\
        """;

    TextExtractor.Extracted extracted =
        extractor.extract(document("text/html", html.getBytes(StandardCharsets.UTF_8)));

    assertThat(extracted.title()).isEqualTo("A page");
    assertThat(normalizer.normalize(extracted.text()))
        .isEqualTo("Heading\n\nFirst bold paragraph.\n\none\n\ntwo\n\nindented\ncode\n\nLast one");
  }

  @Test
  void plainTextIsDecodedInItsDeclaredCharset() throws Exception {
    byte[] latin1 = "déjà vu".getBytes(StandardCharsets.ISO_8859_1);

    assertThat(extractor.extract(document("text/plain; charset=ISO-8859-1", latin1)).text())
        .isEqualTo("déjà vu");
  }

  @Test
  void textThatIsNotValidInItsCharsetIsRejected() {
    byte[] latin1 = "déjà vu".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> extractor.extract(document("text/plain", latin1)))
        .isInstanceOfSatisfying(
            DocumentRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectReason.INVALID_UTF8);
              assertThat(e.detail()).contains("not valid UTF-8").contains("offset 1");
            });
  }

  @Test
  void otherContentTypesAndUnknownCharsetsAreRejected() {
    assertThatThrownBy(() -> extractor.extract(document("image/png", new byte[] {1, 2})))
        .isInstanceOfSatisfying(
            DocumentRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNSUPPORTED_CONTENT_TYPE));
    assertThatThrownBy(
            () -> extractor.extract(document("text/plain; charset=klingon", new byte[] {'a'})))
        .isInstanceOfSatisfying(
            DocumentRejectedException.class, e -> assertThat(e.detail()).contains("klingon"));
  }

  private static RawDocument document(String contentType, byte[] body) {
    return RawDocument.newBuilder()
        .setId("d")
        .setSource("test")
        .setContentType(contentType)
        .setBody(ByteBuffer.wrap(body))
        .build();
  }
}
