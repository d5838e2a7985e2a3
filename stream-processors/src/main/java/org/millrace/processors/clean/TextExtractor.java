package org.millrace.processors.clean;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.StrictText;

/**
 * The text of a {@link RawDocument}: the main content of an HTML page (see {@link
 * MainContentExtractor}), or plain text decoded in its declared charset (UTF-8 when none is
 * declared). Strictly: bytes that are not valid in the charset reject the document rather than
 * becoming replacement characters in the training data; for HTML, that is judged on the text kept,
 * so that a stray byte in a script does not cost the page.
 *
 * <p>Each HTML page has a time budget ({@link #DEFAULT_BUDGET}); a page that takes longer is
 * rejected with {@link RejectReason#EXTRACTION_TIMEOUT}. The parser reads through a {@link
 * DeadlineInputStream} and the traversals check the {@link Deadline}, all on the caller's thread:
 * nothing runs on after the deadline. jsoup nests elements at most {@value #MAX_ELEMENT_DEPTH} deep
 * (deeper ones become siblings) and our traversals are iterative, so a page nested 100,000 deep
 * cannot overflow the stack.
 */
public final class TextExtractor {

  /**
   * One second per document, as datatrove gives trafilatura ({@code Trafilatura(timeout=1)} in
   * FineWeb's pipeline): pages that take longer are pathological, and rare.
   */
  public static final Duration DEFAULT_BUDGET = Duration.ofMillis(1000);

  /**
   * The deepest element nesting jsoup builds (its own default in 1.22, named here so that an
   * upgrade cannot change it): deeper start tags become siblings, so no tree is deeper than this.
   */
  static final int MAX_ELEMENT_DEPTH = 512;

  /** Text, and for HTML the page title and declared language (BCP 47), each null when absent. */
  public record Extracted(String text, String title, String language) {}

  private final Duration budget;
  private final MainContentExtractor mainContent;

  /** With the default budget and jusText's thresholds. */
  public TextExtractor() {
    this(DEFAULT_BUDGET);
  }

  /**
   * @param budget the most time one HTML page may take to parse and extract
   */
  public TextExtractor(Duration budget) {
    this(budget, ParagraphClassifier.Thresholds.JUSTEXT);
  }

  TextExtractor(Duration budget, ParagraphClassifier.Thresholds thresholds) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("the extraction budget must be positive, not " + budget);
    }
    this.budget = budget;
    this.mainContent = new MainContentExtractor(thresholds);
  }

  public Extracted extract(RawDocument document) throws DocumentRejectedException {
    String contentType = document.getContentType();
    String mediaType = mediaTypeOf(contentType);
    byte[] body = bytes(document.getBody());
    if (mediaType.equals("text/html") || mediaType.equals("application/xhtml+xml")) {
      return extractHtml(body, declaredCharset(contentType), document.getUrl());
    }
    if (mediaType.startsWith("text/")) {
      Charset charset = declaredCharset(contentType);
      return new Extracted(
          StrictText.decode(body, charset == null ? StandardCharsets.UTF_8 : charset), null, null);
    }
    throw new DocumentRejectedException(
        RejectReason.UNSUPPORTED_CONTENT_TYPE,
        "content type '" + contentType + "' is neither text nor HTML");
  }

  private Extracted extractHtml(byte[] body, Charset charset, String url)
      throws DocumentRejectedException {
    if (!isWideUnicode(body, charset) && BinaryBytes.looksBinary(body)) {
      throw new DocumentRejectedException(
          RejectReason.BINARY_PAYLOAD,
          "binary data labelled as HTML; first bytes " + BinaryBytes.firstBytes(body));
    }
    Deadline deadline = Deadline.after(budget);
    try {
      Document page = parseHtml(body, charset, url, deadline);
      MainContentExtractor.MainContent content = mainContent.extract(page, deadline);
      refuseReplacementCharacters(content.text(), page.charset());
      return new Extracted(content.text(), content.title(), content.language());
    } catch (Deadline.DeadlineExceededException e) {
      throw new DocumentRejectedException(
          RejectReason.EXTRACTION_TIMEOUT,
          "extracting the text of "
              + body.length
              + " bytes of HTML took longer than its budget of "
              + budget.toMillis()
              + " ms");
    }
  }

  private static Document parseHtml(byte[] body, Charset charset, String url, Deadline deadline)
      throws DocumentRejectedException {
    try {
      // With no declared charset, jsoup looks for a byte-order mark and a <meta charset>, then
      // takes UTF-8.
      return Jsoup.parse(
          new DeadlineInputStream(new ByteArrayInputStream(body), deadline),
          charset == null ? null : charset.name(),
          url == null ? "" : url,
          Parser.htmlParser().setMaxDepth(MAX_ELEMENT_DEPTH));
    } catch (IOException e) {
      throw new DocumentRejectedException(
          RejectReason.INVALID_UTF8, "cannot read the HTML: " + e.getMessage());
    }
  }

  /**
   * jsoup decodes leniently, turning bytes not valid in the page's charset into U+FFFD; in the kept
   * text those are the same faults {@link StrictText} refuses in plain text.
   */
  private static void refuseReplacementCharacters(String text, Charset charset)
      throws DocumentRejectedException {
    int first = text.indexOf('\uFFFD');
    if (first >= 0) {
      long count = text.chars().filter(c -> c == '\uFFFD').count();
      throw new DocumentRejectedException(
          RejectReason.INVALID_UTF8,
          "the page's text has "
              + count
              + " bytes not valid in its charset "
              + charset.name()
              + " (first near character "
              + first
              + " of the text)");
    }
  }

  /** UTF-16 and UTF-32 text is full of NUL bytes, and must not be taken for binary data. */
  private static boolean isWideUnicode(byte[] body, Charset charset) {
    if (charset != null && charset.name().toUpperCase(Locale.ROOT).startsWith("UTF-")) {
      return !charset.equals(StandardCharsets.UTF_8);
    }
    boolean utf16Bom =
        body.length >= 2
            && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
                || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE));
    boolean utf32BigEndianBom =
        body.length >= 4
            && body[0] == 0
            && body[1] == 0
            && body[2] == (byte) 0xFE
            && body[3] == (byte) 0xFF;
    return utf16Bom || utf32BigEndianBom;
  }

  static String mediaTypeOf(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  private static Charset declaredCharset(String contentType) throws DocumentRejectedException {
    for (String parameter : contentType.split(";")) {
      String[] nameAndValue = parameter.split("=", 2);
      if (nameAndValue.length == 2 && nameAndValue[0].strip().equalsIgnoreCase("charset")) {
        String name = nameAndValue[1].strip().replace("\"", "");
        try {
          return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          throw new DocumentRejectedException(
              RejectReason.UNSUPPORTED_CONTENT_TYPE, "unknown charset '" + name + "'");
        }
      }
    }
    return null;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
