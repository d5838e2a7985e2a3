package org.millrace.processors.clean;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Cuts a (pruned) page into {@link Paragraph}s the way jusText does: every block-level element
 * starts a new one, inline elements ({@code <a>}, {@code <b>}, {@code <span>}…) run on inside it. A
 * table row is one paragraph, its cells separated by spaces; a {@code <br>} is a line break inside
 * a paragraph, and two in a row end it; a {@code <pre>} block is one paragraph, verbatim. Text
 * mangled by a wrong charset is repaired on the way ({@link MojibakeRepair}).
 *
 * <p>Iterative (jsoup's {@link NodeTraversor}), checking the deadline every {@value
 * BoilerplatePruner#DEADLINE_CHECK_INTERVAL} nodes.
 */
final class ParagraphSplitter {

  /** Elements that start and end a paragraph: HTML's block-level elements and jusText's list. */
  private static final Set<String> BLOCKS =
      Set.of(
          "address",
          "article",
          "aside",
          "blockquote",
          "body",
          "caption",
          "center",
          "dd",
          "details",
          "dir",
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
          "hgroup",
          "hr",
          "html",
          "legend",
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
          "tfoot",
          "thead",
          "title",
          "tr",
          "ul");

  private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

  /** HTML's whitespace, which the source's layout puts between words (not the no-break space). */
  private static final Pattern SOURCE_WHITESPACE = Pattern.compile("[ \\t\\n\\r\\f]+");

  private static final Pattern SPACES = Pattern.compile("[ \\t\\r\\f]+");
  private static final Pattern SPACE_AROUND_BREAKS = Pattern.compile(" ?\\n ?");

  private ParagraphSplitter() {}

  static List<Paragraph> split(Element root, Deadline deadline) {
    Splitter splitter = new Splitter(deadline);
    NodeTraversor.traverse(splitter, root);
    splitter.endParagraph();
    return splitter.paragraphs;
  }

  private static final class Splitter implements NodeVisitor {

    private final Deadline deadline;
    private final List<Paragraph> paragraphs = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private int visited;
    private int linkDepth;
    private int headingDepth;
    private int preformattedDepth;
    private int linkChars;
    private boolean heading;
    private boolean preformatted;
    private boolean lastWasBreak;

    Splitter(Deadline deadline) {
      this.deadline = deadline;
    }

    @Override
    public void head(Node node, int depth) {
      if (++visited % BoilerplatePruner.DEADLINE_CHECK_INTERVAL == 0) {
        deadline.check();
      }
      if (node instanceof TextNode textNode) {
        addText(textNode);
      } else if (node instanceof Element element) {
        String tag = element.normalName();
        if (tag.equals("br")) {
          if (lastWasBreak) {
            endParagraph();
          } else {
            text.append('\n');
            lastWasBreak = true;
          }
          return;
        }
        if (BLOCKS.contains(tag)) {
          endParagraph();
        } else if (tag.equals("td") || tag.equals("th")) {
          text.append(' ');
        }
        if (tag.equals("a")) {
          linkDepth++;
        } else if (HEADINGS.contains(tag)) {
          headingDepth++;
        } else if (tag.equals("pre")) {
          preformattedDepth++;
        }
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (node instanceof Element element) {
        String tag = element.normalName();
        if (tag.equals("a")) {
          linkDepth--;
        } else if (HEADINGS.contains(tag)) {
          headingDepth--;
        } else if (tag.equals("pre")) {
          preformattedDepth--;
        }
        if (BLOCKS.contains(tag)) {
          endParagraph();
        }
      }
    }

    private void addText(TextNode node) {
      // Mojibake is repaired here already, since the classifier would read "cafÃ©" as a copyright
      // line and find no stop words in it; the normaliser repairs plain text later the same way.
      // Before whitespace is collapsed: "à" misread is "Ã" and a no-break space.
      String content = MojibakeRepair.repair(node.getWholeText());
      if (preformattedDepth == 0) {
        content = SOURCE_WHITESPACE.matcher(content).replaceAll(" ");
      }
      if (content.isBlank() && preformattedDepth == 0) {
        if (!content.isEmpty()) {
          text.append(' ');
        }
        return;
      }
      lastWasBreak = false;
      text.append(content);
      heading |= headingDepth > 0;
      preformatted |= preformattedDepth > 0;
      if (linkDepth > 0) {
        for (int i = 0; i < content.length(); i++) {
          if (!Character.isWhitespace(content.charAt(i))) {
            linkChars++;
          }
        }
      }
    }

    void endParagraph() {
      String paragraph;
      if (preformatted) {
        // a <pre> block keeps its indentation but not the blank lines that open and close it
        int start = 0;
        while (start < text.length()
            && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
          start++;
        }
        paragraph = text.substring(start).stripTrailing();
      } else {
        paragraph = SPACES.matcher(text).replaceAll(" ");
        paragraph = SPACE_AROUND_BREAKS.matcher(paragraph).replaceAll("\n").strip();
      }
      if (!paragraph.isBlank()) {
        paragraphs.add(new Paragraph(paragraph, linkChars, heading, preformatted));
      }
      text.setLength(0);
      linkChars = 0;
      heading = false;
      preformatted = false;
      lastWasBreak = false;
    }
  }
}
