package org.millrace.producers.crawl;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The charset of a fetched page, in the order of the WHATWG encoding sniffing algorithm (HTML
 * standard, section 13.2.3.2): a byte-order mark, then the Content-Type header's {@code charset},
 * then a {@code <meta charset>} or {@code <meta http-equiv="Content-Type">} in the first 1024
 * bytes. Empty when none says, or names a charset this JVM does not know.
 */
final class PageCharset {

  private static final int META_PRESCAN_BYTES = 1024;
  private static final Pattern HEADER_CHARSET =
      Pattern.compile("charset\\s*=\\s*[\"']?([^\"';\\s]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern META_CHARSET =
      Pattern.compile(
          "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([a-zA-Z0-9_.:-]+)", Pattern.CASE_INSENSITIVE);

  private PageCharset() {}

  static Optional<Charset> of(byte[] body, String contentTypeHeader, boolean html) {
    Optional<Charset> bom = fromByteOrderMark(body);
    if (bom.isPresent()) {
      return bom;
    }
    if (contentTypeHeader != null) {
      Optional<Charset> header = named(HEADER_CHARSET.matcher(contentTypeHeader));
      if (header.isPresent()) {
        return header;
      }
    }
    if (!html) {
      return Optional.empty();
    }
    String head =
        new String(body, 0, Math.min(body.length, META_PRESCAN_BYTES), StandardCharsets.ISO_8859_1);
    return named(META_CHARSET.matcher(head));
  }

  static Optional<Charset> fromByteOrderMark(byte[] body) {
    if (body.length >= 3
        && (body[0] & 0xff) == 0xef
        && (body[1] & 0xff) == 0xbb
        && (body[2] & 0xff) == 0xbf) {
      return Optional.of(StandardCharsets.UTF_8);
    }
    if (body.length >= 2 && (body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff) {
      return Optional.of(StandardCharsets.UTF_16BE);
    }
    if (body.length >= 2 && (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe) {
      return Optional.of(StandardCharsets.UTF_16LE);
    }
    return Optional.empty();
  }

  private static Optional<Charset> named(Matcher matcher) {
    if (!matcher.find()) {
      return Optional.empty();
    }
    String name = matcher.group(1).toLowerCase(Locale.ROOT);
    try {
      return Charset.isSupported(name) ? Optional.of(Charset.forName(name)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the bytes look binary: a NUL in the first 1024 bytes (the WHATWG MIME sniffing
   * standard's "binary data byte" test, the one that matters), unless the text is UTF-16.
   */
  static boolean looksBinary(byte[] body, Optional<Charset> charset) {
    if (charset.isPresent() && charset.get().name().startsWith("UTF-16")) {
      return false;
    }
    for (int i = 0; i < Math.min(body.length, META_PRESCAN_BYTES); i++) {
      if (body[i] == 0) {
        return true;
      }
    }
    return false;
  }
}
