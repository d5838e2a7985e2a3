package org.millrace.producers.crawl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    List<String> links = new ArrayList<>();
    for (Element link : document.select("a[href], area[href]")) {
      links.add(link.absUrl("href"));
    }
    for (Element frame : document.select("frame[src], iframe[src]")) {
      links.add(frame.absUrl("src"));
    }
    links.removeIf(String::isEmpty);
    return links;
  }
}
