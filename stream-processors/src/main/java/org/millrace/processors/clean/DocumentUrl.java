package org.millrace.processors.clean;

import java.util.Locale;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;

/**
 * What a document's URL may be: absent (a file fed from disk has none), or an absolute {@code http}
 * or {@code https} URL with a host, of at most {@value #MAX_LENGTH} characters. A model is trained
 * on web pages and the documents a user feeds; a {@code javascript:}, {@code file:} or {@code
 * data:} address, or a megabyte of path, says the record did not come from either, and every later
 * stage and the dashboard would carry it.
 */
final class DocumentUrl {

  /**
   * RFC 9110, section 4.1, recommends that senders and recipients support URIs of at least 8,000
   * octets; a longer one is not a web page's address that servers answer.
   */
  static final int MAX_LENGTH = 8000;

  private DocumentUrl() {}

  /**
   * @throws DocumentRejectedException {@code invalid_url}, saying what is wrong
   */
  static void check(String url) throws DocumentRejectedException {
    if (url == null) {
      return;
    }
    if (url.length() > MAX_LENGTH) {
      throw new DocumentRejectedException(
          RejectReason.INVALID_URL,
          "a URL of " + url.length() + " characters; at most " + MAX_LENGTH + " are accepted");
    }
    String lower = url.toLowerCase(Locale.ROOT);
    String rest =
        lower.startsWith("http://")
            ? lower.substring("http://".length())
            : lower.startsWith("https://") ? lower.substring("https://".length()) : null;
    if (rest == null) {
      throw new DocumentRejectedException(
          RejectReason.INVALID_URL, "not an absolute http or https URL: " + quote(url));
    }
    if (rest.isEmpty() || rest.startsWith("/") || rest.startsWith("?") || rest.startsWith("#")) {
      throw new DocumentRejectedException(
          RejectReason.INVALID_URL, "a URL without a host: " + quote(url));
    }
  }

  private static String quote(String url) {
    return "\"" + (url.length() > 80 ? url.substring(0, 80) + "..." : url) + "\"";
  }
}
