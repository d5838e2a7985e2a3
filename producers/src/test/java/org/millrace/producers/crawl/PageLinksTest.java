package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.millrace.producers.crawl.UrlNormalizer.QueryHandling;

/**
 * {@link PageLinks} finds, on every page, the links that a full jsoup parse finds (what the crawler
 * did before it scanned pages for their start tags), once normalised as the crawler queues them.
 */
class PageLinksTest {

  private static final String ROBOT = "millracebot";
  private static final String PAGE = "http://site.example/docs/api/page.html";
  private final UrlNormalizer normalizer = new UrlNormalizer(QueryHandling.KEEP);

  @Test
  void findsWhatJsoupFindsOnEveryPageOfARealSite() throws IOException {
    Path jar = CrawlFixtures.javadocJar();
    int pages = 0;
    int links = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (!entry.getName().endsWith(".html")) {
          continue;
        }
        byte[] html;
        try (InputStream in = zip.getInputStream(entry)) {
          html = in.readAllBytes();
        }
        String url = "http://site.example/" + entry.getName();
        List<String> expected = jsoupLinks(html, StandardCharsets.UTF_8, url);
        assertThat(scannedLinks(html, StandardCharsets.UTF_8, url)).as(url).isEqualTo(expected);
        pages++;
        links += expected.size();
      }
    }
    assertThat(pages).isGreaterThan(100);
    assertThat(links).isGreaterThan(10 * pages);
  }

  @Test
  void findsWhatJsoupFindsOnPagesWrittenToTripAScanner() {
    List<String> pages =
        List.of(
            "<a href=plain.html>x</a><A HREF='Upper.html'>y</A><a\nhref\n=\n\"spread.html\">",
            "<a href=\"q.html?a=1&amp;b=2&lt=3\">entities</a><a href='&#x2F;slash.html'>",
            "<!-- <a href=\"commented.html\"> --><a href=after-comment.html>"
                + "<!--><a href=after-empty-comment.html><!---><a href=after-dash.html>",
            "<script>var s = '<a href=\"in-script.html\">';</script><a href=after-script.html>"
                + "<style>a[href='in-style.html']{}</style><title><a href=in-title.html></title>"
                + "<textarea><a href=in-textarea.html></textarea><a href=after-textarea.html>",
            // in <body>: jsoup reads a <noscript> of the <head> as text, the scanner as markup
            "<body><noframes><a href=in-noframes.html></noframes><noscript><a"
                + " href=in-noscript.html></noscript><iframe src=frame.html><a"
                + " href=in-iframe.html></iframe>",
            "<frameset><frame src=left.html><frame src=right.html></frameset>",
            "<a title=\"a>b\" href=after-quoted-gt.html><a href=first.html href=second.html><a"
                + " href=\"with space.html\"><a href=\"ünïcode.html\"><a href=\"#top\"><a"
                + " href=\"\"><a href=\"mailto:someone@site.example\"><a href=\"javascript:x()\">",
            "<a href=../up.html><a href=//other.example/x><a href=https://abs.example/y?b=2#f>"
                + "<area href=map.html><map><area href=area2.html></map><svg><a href=svg.html></a>"
                + "</svg>",
            "<head><base href=\"/elsewhere/dir/\"></head><a href=based.html><base href=/ignored/>"
                + "<a href=?query>",
            "<base href=\"http://cdn.example\"><a href=rel.html>",
            "<!DOCTYPE html><?xml version=\"1.0\"?><![CDATA[ <a href=cdata.html> ]]>"
                + "<a href=after-cdata.html></a href=end-tag-attribute.html><a href=x.html/>"
                + "<p <a href=in-attribute-name.html><a href=last.html>",
            "<a href=\"\t tabs\n.html \">trimmed</a><a href=\"%7Euser/%zz.html\">",
            "<a href=\"unclosed.html");
    for (String page : pages) {
      byte[] html = page.getBytes(StandardCharsets.UTF_8);
      assertThat(scannedLinks(html, StandardCharsets.UTF_8, PAGE))
          .as(page)
          .isEqualTo(jsoupLinks(html, StandardCharsets.UTF_8, PAGE));
    }
  }

  @Test
  void readsThePageInItsCharset() {
    Charset latin1 = Charset.forName("windows-1252");
    byte[] html = "<a href=\"caf\u00e9.html\">".getBytes(latin1);
    assertThat(scannedLinks(html, latin1, PAGE))
        .containsExactly("http://site.example/docs/api/caf%C3%A9.html")
        .isEqualTo(jsoupLinks(html, latin1, PAGE));
  }

  @Test
  void resolvesAgainstTheFirstBaseHref() {
    PageLinks links =
        PageLinks.of(
            "<base href='/v2/'><base href='/v3/'><a href=intro.html>".getBytes(),
            null,
            PAGE,
            ROBOT);
    assertThat(links.base()).hasToString("http://site.example/v2/");
    assertThat(scannedLinks("<base href='/v2/'><a href=intro.html>".getBytes(), null, PAGE))
        .containsExactly("http://site.example/v2/intro.html");
  }

  @Test
  void aPageThatSaysNofollowHasNoLinks() {
    for (String meta :
        List.of(
            "<meta name=robots content=nofollow>",
            "<meta name=\"ROBOTS\" content=\"NOINDEX, NOFOLLOW\">",
            "<meta name=robots content=none>",
            "<meta content=nofollow name=" + ROBOT + ">")) {
      byte[] html = ("<a href=a.html>" + meta + "<a href=b.html>").getBytes();
      assertThat(PageLinks.of(html, null, PAGE, ROBOT).targets()).as(meta).isEmpty();
    }
    byte[] otherRobot = "<meta name=otherbot content=nofollow><a href=a.html>".getBytes();
    assertThat(PageLinks.of(otherRobot, null, PAGE, ROBOT).targets()).containsExactly("a.html");
  }

  /** The links as the crawler queues them now: scanned, then resolved as they are normalised. */
  private List<String> scannedLinks(byte[] html, Charset charset, String url) {
    PageLinks links = PageLinks.of(html, charset, url, ROBOT);
    Set<String> normalised = new LinkedHashSet<>();
    for (String target : links.targets()) {
      normalizer.normalize(links.base(), target).ifPresent(normalised::add);
    }
    return new ArrayList<>(normalised);
  }

  /** The links as the crawler queued them before: a jsoup parse, absUrl, then normalised. */
  private List<String> jsoupLinks(byte[] html, Charset charset, String url) {
    Document document;
    try {
      document = Jsoup.parse(new ByteArrayInputStream(html), charset.name(), url);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    for (Element meta : document.select("meta[name][content]")) {
      String name = meta.attr("name").toLowerCase(Locale.ROOT);
      String content = meta.attr("content").toLowerCase(Locale.ROOT);
      if ((name.equals("robots") || name.equals(ROBOT))
          && (content.contains("nofollow") || content.contains("none"))) {
        return List.of();
      }
    }
    Set<String> normalised = new LinkedHashSet<>();
    for (Element link : document.select("a[href], area[href], frame[src], iframe[src]")) {
      String attribute = link.hasAttr("href") ? "href" : "src";
      normalizer.normalize(link.absUrl(attribute)).ifPresent(normalised::add);
    }
    return new ArrayList<>(normalised);
  }
}
