package org.millrace.producers.crawl;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the URLs a crawler meets into one spelling per page, so that the seen-URL set and the
 * document id do not depend on how a link happened to be written (RFC 3986 section 6.2.2, syntax
 * based normalisation, plus the scheme based part for http and https).
 *
 * <p>What it does: lower-cases the scheme and the host (IDN to ASCII, trailing dot removed, an IPv4
 * address in any spelling written as four decimals, {@link Ipv4Literal}), drops the default port,
 * the fragment and any user-info (credentials in a link are never sent), removes dot segments,
 * writes an empty path as {@code /}, upper-cases percent-escapes and decodes those of unreserved
 * characters, percent-encodes characters that may not appear in a URI (spaces, non-ASCII), and
 * treats the query as {@link QueryHandling} says. Only http and https URLs are kept.
 */
public final class UrlNormalizer {

  /** What to do with a URL's query. */
  public enum QueryHandling {
    /** Keep it as written (an empty query is dropped). */
    KEEP,
    /** Sort its parameters by name, then value: {@code ?b=2&a=1} and {@code ?a=1&b=2} are one. */
    SORT,
    /** Drop it: {@code /page?session=42} is {@code /page}. For sites whose queries are noise. */
    DROP
  }

  private static final String UNRESERVED_PUNCTUATION = "-._~";

  private final QueryHandling queryHandling;

  public UrlNormalizer(QueryHandling queryHandling) {
    this.queryHandling = queryHandling;
  }

  /** The normal form of {@code link} resolved against {@code base}; empty if not http(s). */
  public Optional<String> normalize(URI base, String link) {
    try {
      String stripped = link.strip();
      if (stripped.indexOf('\t') >= 0
          || stripped.indexOf('\n') >= 0
          || stripped.indexOf('\r') >= 0) {
        // browsers drop tabs and line breaks inside a URL (WHATWG URL standard)
        stripped = stripped.replace("\t", "").replace("\n", "").replace("\r", "");
      }
      URI parsed = new URI(escapeIllegal(stripped));
      return normalize(base == null ? parsed : resolve(base, parsed));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The host of a URL in normal form ({@code scheme://host[:port]/path[?query]}), read off the
   * string: the crawler asks for it for every link and every frontier step, and a java.net.URI
   * parse each time was a measurable part of a crawl (docs/benchmarks.md). Empty when there is
   * none.
   */
  static String hostOf(String normalizedUrl) {
    int start = normalizedUrl.indexOf("://");
    if (start < 0) {
      return "";
    }
    start += 3;
    int end = start;
    if (end < normalizedUrl.length() && normalizedUrl.charAt(end) == '[') {
      end = normalizedUrl.indexOf(']', end);
      return end < 0 ? "" : normalizedUrl.substring(start, end + 1);
    }
    while (end < normalizedUrl.length() && ":/?#".indexOf(normalizedUrl.charAt(end)) < 0) {
      end++;
    }
    return normalizedUrl.substring(start, end);
  }

  /**
   * RFC 3986 section 5.2.2. java.net.URI departs from it for a reference without a path: it makes
   * {@code ""} and {@code "?q"} against {@code http://h/a/b} the folder {@code http://h/a/} (with
   * the query), where the RFC, browsers and jsoup keep the base's path ({@code http://h/a/b?q}).
   */
  private static URI resolve(URI base, URI reference) throws URISyntaxException {
    boolean pathless =
        reference.getScheme() == null
            && reference.getRawAuthority() == null
            && (reference.getRawPath() == null || reference.getRawPath().isEmpty());
    if (!pathless || base.getRawAuthority() == null || base.getRawPath() == null) {
      return base.resolve(reference);
    }
    String query = reference.getRawQuery() != null ? reference.getRawQuery() : base.getRawQuery();
    return new URI(
        base.getScheme()
            + "://"
            + base.getRawAuthority()
            + base.getRawPath()
            + (query == null ? "" : "?" + query));
  }

  /** The normal form of an absolute URL; empty if it is not an http(s) URL with a host. */
  public Optional<String> normalize(String url) {
    return normalize(null, url);
  }

  private Optional<String> normalize(URI uri) {
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      return Optional.empty();
    }
    String host = uri.getHost();
    int port = uri.getPort();
    if (host == null && uri.getRawAuthority() != null) {
      // java.net.URI takes an escaped non-ASCII host (an IDN) for a registry name: decode it
      String authority = URLDecoder.decode(uri.getRawAuthority(), StandardCharsets.UTF_8);
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        try {
          port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
        authority = authority.substring(0, colon);
      }
      host = authority;
    }
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (!host.startsWith("[")) {
      // 127.1, 2130706433, 0x7f.0.0.1, 0177.0.0.1: all 127.0.0.1, as in browsers
      Optional<Inet4Address> ipv4 = Ipv4Literal.parse(host);
      host =
          ipv4.isPresent()
              ? ipv4.get().getHostAddress()
              : IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }
    boolean defaultPort =
        port == -1
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("https") && port == 443);
    StringBuilder out = new StringBuilder(scheme).append("://").append(host);
    if (!defaultPort) {
      out.append(':').append(port);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    out.append(normalizeEscapes(removeDotSegments(path)));
    String query = query(uri.getRawQuery());
    if (query != null) {
      out.append('?').append(query);
    }
    return Optional.of(out.toString());
  }

  private String query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty() || queryHandling == QueryHandling.DROP) {
      return null;
    }
    String query = normalizeEscapes(rawQuery);
    if (queryHandling == QueryHandling.SORT) {
      String[] parameters = query.split("&");
      Arrays.sort(parameters);
      query = String.join("&", Arrays.stream(parameters).filter(p -> !p.isEmpty()).toList());
    }
    return query.isEmpty() ? null : query;
  }

  /** RFC 3986 section 5.2.4; dot segments above the root are dropped, as browsers do. */
  static String removeDotSegments(String path) {
    if (!path.contains("/.")) {
      return path; // nearly every path: no segment can be "." or ".."
    }
    Deque<String> output = new ArrayDeque<>();
    String[] segments = path.split("/", -1);
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.equals(".")) {
        if (last) {
          output.addLast("");
        }
      } else if (segment.equals("..")) {
        output.pollLast();
        if (last) {
          output.addLast("");
        }
      } else {
        output.addLast(segment);
      }
    }
    return "/" + String.join("/", output);
  }

  /** Upper-case hex in escapes, and unreserved characters unescaped ({@code %7E} is {@code ~}). */
  static String normalizeEscapes(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
        int value = Integer.parseInt(text.substring(i + 1, i + 3), 16);
        if (isUnreserved((char) value)) {
          out.append((char) value);
        } else {
          out.append('%').append(text.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
        }
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Percent-encodes (as UTF-8) what may not appear in a URI but does appear in real links: spaces,
   * non-ASCII letters, quotes; and a {@code %} that does not start an escape.
   */
  static String escapeIllegal(String link) {
    int first = 0;
    while (first < link.length() && isLegalAt(link, first)) {
      first++;
    }
    if (first == link.length()) {
      return link; // most links: no copy
    }
    StringBuilder out = new StringBuilder(link.length() + 16).append(link, 0, first);
    for (int i = first; i < link.length(); i++) {
      char c = link.charAt(i);
      if (isLegalAt(link, i)) {
        out.append(c);
      } else if (c == '%') {
        out.append("%25");
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < link.length() ? i + 2 : i + 1;
        for (byte b : link.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(String.format("%02X", b & 0xff));
        }
        i = end - 1;
      }
    }
    return out.toString();
  }

  /** Whether the character at {@code i} may stand in a URI as it is. */
  private static boolean isLegalAt(String link, int i) {
    char c = link.charAt(i);
    return c == '%'
        ? isHex(link, i + 1) && isHex(link, i + 2)
        : c > 0x20 && c < 0x7f && "\"<>\\^`{|}".indexOf(c) < 0;
  }

  private static boolean isHex(String text, int index) {
    return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || UNRESERVED_PUNCTUATION.indexOf(c) >= 0;
  }
}
