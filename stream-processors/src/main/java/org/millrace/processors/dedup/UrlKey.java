package org.millrace.processors.dedup;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The normalised form of a URL under which URL deduplication compares documents: scheme and host
 * lower-cased, the default port dropped, an empty path made "/", the fragment dropped (it never
 * reaches the server) and the query's {@code utm_*} tracking parameters removed. Everything else,
 * including the order of the other query parameters, is kept: reordering them can change what a
 * server returns.
 */
public final class UrlKey {

  private UrlKey() {}

  /** The normalised URL, or empty when {@code url} is not an absolute http(s) URL. */
  public static Optional<String> of(String url) {
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
      return Optional.empty();
    }
    StringBuilder key = new StringBuilder(scheme).append("://");
    key.append(uri.getHost().toLowerCase(Locale.ROOT));
    int port = uri.getPort();
    if (port != -1
        && !(port == 80 && scheme.equals("http"))
        && !(port == 443 && scheme.equals("https"))) {
      key.append(':').append(port);
    }
    String path = uri.getRawPath();
    key.append(path == null || path.isEmpty() ? "/" : path);
    String query = uri.getRawQuery();
    if (query != null) {
      String kept =
          Arrays.stream(query.split("&"))
              .filter(parameter -> !parameter.isEmpty())
              .filter(parameter -> !parameter.toLowerCase(Locale.ROOT).startsWith("utm_"))
              .collect(Collectors.joining("&"));
      if (!kept.isEmpty()) {
        key.append('?').append(kept);
      }
    }
    return Optional.of(key.toString());
  }
}
