package org.millrace.producers.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The links of an HTML page as written in its {@code <a>}, {@code <area>} ({@code href}), {@code
 * <frame>} and {@code <iframe>} ({@code src}), each once, in page order, with the URI they resolve
 * against: the page's own, or its first {@code <base href>}. None when the page says {@code <meta
 * name="robots" content="nofollow">} (or {@code none}), or the same for our robot's name.
 *
 * <p>The page is scanned for its start tags ({@link HtmlStartTags}), not parsed into a tree: the
 * links are all a crawler wants, and jsoup's full parse of every page for them was half of the
 * crawl's time (docs/benchmarks.md). The {@link UrlNormalizer} resolves each target against {@link
 * #base()} as it normalises it, one URI parse per link.
 *
 * @param base absolute, with a path
 * @param targets the attribute values, character references decoded, not resolved
 */
record PageLinks(URI base, List<String> targets) {

  private static final Set<String> TAGS = Set.of("a", "area", "frame", "iframe", "base", "meta");

  /**
   * @param charset the page's ({@link PageCharset}); null: UTF-8, as jsoup reads a page that does
   *     not say
   */
  static PageLinks of(byte[] html, Charset charset, String pageUrl, String robotName) {
    String text = new String(html, charset == null ? StandardCharsets.UTF_8 : charset);
    URI page = URI.create(pageUrl);
    Set<String> targets = new LinkedHashSet<>();
    URI[] base = {null};
    boolean[] nofollow = {false};
    HtmlStartTags.scan(
        text,
        TAGS,
        (name, attributes) -> {
          switch (name) {
            case "a", "area" -> addIfPresent(attributes, "href", targets);
            case "frame", "iframe" -> addIfPresent(attributes, "src", targets);
            case "base" -> {
              if (base[0] == null) {
                base[0] = resolve(page, attributes.get("href"));
              }
            }
            default -> nofollow[0] |= saysNofollow(attributes, robotName);
          }
        });
    if (nofollow[0]) {
      return new PageLinks(page, List.of());
    }
    return new PageLinks(base[0] == null ? page : base[0], new ArrayList<>(targets));
  }

  private static void addIfPresent(
      Map<String, String> attributes, String attribute, Set<String> targets) {
    String target = attributes.get(attribute);
    if (target != null) {
      targets.add(target);
    }
  }

  /** {@code <meta name="robots" content="nofollow">}, or {@code none}, or for our robot. */
  private static boolean saysNofollow(Map<String, String> meta, String robotName) {
    String name = meta.get("name");
    String content = meta.get("content");
    if (name == null || content == null) {
      return false;
    }
    name = name.toLowerCase(Locale.ROOT);
    content = content.toLowerCase(Locale.ROOT);
    return (name.equals("robots") || name.equals(robotName))
        && (content.contains("nofollow") || content.contains("none"));
  }

  /**
   * A {@code <base href>} made absolute against the page, with a path (java.net.URI resolves "a"
   * against "http://host" to "http://hosta"); null when it is empty or unusable, which leaves the
   * page's own URI the base, as in jsoup and browsers.
   */
  private static URI resolve(URI page, String href) {
    if (href == null || href.isBlank()) {
      return null;
    }
    try {
      URI base = page.resolve(new URI(UrlNormalizer.escapeIllegal(href.strip())));
      if (!base.isAbsolute() || base.getRawAuthority() == null) {
        return null;
      }
      return base.getRawPath() == null || base.getRawPath().isEmpty()
          ? new URI(base.getScheme(), base.getRawAuthority(), "/", null, null)
          : base;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
