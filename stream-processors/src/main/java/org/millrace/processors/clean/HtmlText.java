package org.millrace.processors.clean;

import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The visible text of an HTML page, with its block structure kept as lines: each paragraph,
 * heading, list item and table row on its own line, {@code <pre>} blocks verbatim, scripts and
 * styles dropped. Plain {@code Element.text()} would run the whole page into one line. Boilerplate
 * removal (navigation, link density) is not done here.
 */
final class HtmlText {

  /** Elements whose content is never visible text. */
  private static final Set<String> INVISIBLE =
      Set.of(
          "head",
          "script",
          "style",
          "noscript",
          "template",
          "svg",
          "canvas",
          "iframe",
          "object",
          "embed",
          "select");

  /** Elements that start a new line (HTML's block-level and line-breaking elements). */
  private static final Set<String> BLOCKS =
      Set.of(
          "address",
          "article",
          "aside",
          "blockquote",
          "br",
          "caption",
          "dd",
          "details",
          "div",
          "dl",
          "dt",
          "fieldset",
          "figcaption",
          "figure",
          "footer",
          "form",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "header",
          "hr",
          "li",
          "main",
          "nav",
          "ol",
          "p",
          "pre",
          "section",
          "summary",
          "table",
          "tbody",
          "thead",
          "tfoot",
          "tr",
          "ul",
          "title");

  private HtmlText() {}

  static String of(Document document) {
    StringBuilder text = new StringBuilder();
    NodeTraversor.traverse(
        new NodeVisitor() {
          private int preformatted;

          @Override
          public void head(Node node, int depth) {
            if (node instanceof TextNode textNode) {
              if (!insideInvisible(textNode)) {
                text.append(preformatted > 0 ? textNode.getWholeText() : textNode.text());
              }
            } else if (node instanceof Element element) {
              String tag = element.normalName();
              if (tag.equals("pre")) {
                preformatted++;
              }
              if (BLOCKS.contains(tag)) {
                text.append('\n');
              } else if (tag.equals("td") || tag.equals("th")) {
                text.append(' ');
              }
            }
          }

          @Override
          public void tail(Node node, int depth) {
            if (node instanceof Element element) {
              String tag = element.normalName();
              if (tag.equals("pre")) {
                preformatted--;
              }
              if (BLOCKS.contains(tag)) {
                text.append('\n');
              }
            }
          }
        },
        document.body() == null ? document : document.body());
    return text.toString();
  }

  private static boolean insideInvisible(TextNode node) {
    for (Element parent = node.parentElement(); parent != null; parent = parent.parent()) {
      if (INVISIBLE.contains(parent.normalName())) {
        return true;
      }
    }
    return false;
  }
}
