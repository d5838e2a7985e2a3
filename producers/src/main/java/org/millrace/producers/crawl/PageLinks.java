package org.millrace.producers.crawl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The links of an HTML page, absolute (a {@code <base href>} is honoured), from {@code <a>}, {@code
 * <area>}, {@code <frame>} and {@code <iframe>}. None when the page says {@code <meta name="robots"
 * content="nofollow">} (or {@code none}), or the same for our robot's name.
 */
final class PageLinks {

  private PageLinks() {}

  static List<String> of(byte[] html, Charset charset, String pageUrl, String robotName) {
    Document document;
    try {
      document =
          Jsoup.parse(
              new ByteArrayInputStream(html), charset == null ? null : charset.name(), pageUrl);
    } catch (IOException e) {
      throw new UncheckedIOException("reading bytes in memory cannot fail", e);
    }
    for (Element meta : document.select("meta[name][content]")) {
      String name = meta.attr("name").toLowerCase(Locale.ROOT);
      String content = meta.attr("content").toLowerCase(Locale.ROOT);
      if ((name.equals("robots") || name.equals(robotName))
          && (content.contains("nofollow") || content.contains("none"))) {
        return List.of();
      }
    }
    // A page links to the same targets many times (a javadoc page to its package dozens of
    // times): each is resolved once. java.net.URI resolves the plain ones; jsoup's absUrl, which
    // strips control characters with a regular expression on every call, only what URI refuses.
    URI base = baseOf(document.baseUri());
    Map<String, String> resolved = new LinkedHashMap<>();
    for (Element link : document.select("a[href], area[href], frame[src], iframe[src]")) {
      String attribute = link.hasAttr("href") ? "href" : "src";
      String target = link.attr(attribute);
      if (!resolved.containsKey(target)) {
        resolved.put(target, resolve(base, target, link, attribute));
      }
    }
    List<String> links = new ArrayList<>(resolved.values());
    links.removeIf(String::isEmpty);
    return links;
  }

  private static URI baseOf(String baseUri) {
    try {
      URI base = new URI(baseUri);
      // URI.resolve mishandles a base without a path ("http://host" + "a" gives "http://hosta")
      return base.isAbsolute() && base.getRawPath() != null && !base.getRawPath().isEmpty()
          ? base
          : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String resolve(URI base, String target, Element link, String attribute) {
    if (base != null) {
      try {
        return base.resolve(new URI(target)).toString();
      } catch (URISyntaxException | IllegalArgumentException notPlain) {
        // spaces, control characters, odd escapes: jsoup's lenient resolution below
      }
    }
    return link.absUrl(attribute);
  }
}
