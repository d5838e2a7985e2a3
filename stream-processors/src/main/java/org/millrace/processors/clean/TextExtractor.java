package org.millrace.processors.clean;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.StrictText;

/**
 * The text of a {@link RawDocument}: HTML through jsoup (see {@link HtmlText}), plain text decoded
 * in its declared charset (UTF-8 when none is declared), strictly: bytes that are not valid in the
 * charset reject the document rather than becoming replacement characters in the training data.
 */
public final class TextExtractor {

  /** Text and, for HTML, the page title. */
  public record Extracted(String text, String title) {}

  public Extracted extract(RawDocument document) throws DocumentRejectedException {
    String contentType = document.getContentType();
    String mediaType = mediaTypeOf(contentType);
    byte[] body = bytes(document.getBody());
    if (mediaType.equals("text/html") || mediaType.equals("application/xhtml+xml")) {
      Document html = parseHtml(body, declaredCharset(contentType), document.getUrl());
      String title = html.title().isBlank() ? null : html.title().strip();
      return new Extracted(HtmlText.of(html), title);
    }
    if (mediaType.startsWith("text/")) {
      Charset charset = declaredCharset(contentType);
      return new Extracted(
          StrictText.decode(body, charset == null ? StandardCharsets.UTF_8 : charset), null);
    }
    throw new DocumentRejectedException(
        RejectReason.UNSUPPORTED_CONTENT_TYPE,
        "content type '" + contentType + "' is neither text nor HTML");
  }

  private static Document parseHtml(byte[] body, Charset charset, String url)
      throws DocumentRejectedException {
    try {
      // With no declared charset, jsoup looks for a byte-order mark and a <meta charset>, then
      // takes UTF-8.
      return Jsoup.parse(
          new ByteArrayInputStream(body),
          charset == null ? null : charset.name(),
          url == null ? "" : url);
    } catch (IOException e) {
      throw new DocumentRejectedException(
          RejectReason.INVALID_UTF8, "cannot read the HTML: " + e.getMessage());
    }
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
