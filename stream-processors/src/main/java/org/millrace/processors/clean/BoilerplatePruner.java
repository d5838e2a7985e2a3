package org.millrace.processors.clean;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Removes from a parsed page the parts that are never its main content, before the paragraphs are
 * cut and classified: what is not visible text (scripts, styles, hidden elements), the page's
 * navigation, banner, footer and asides (by element, by ARIA role, and by the class and id names
 * that content-management systems give them), and forms. In the spirit of trafilatura's tree
 * cleaning ({@code MANUALLY_CLEANED} and its boilerplate XPath expressions), more cautious: an
 * element named like boilerplate is kept when it holds an {@code <article>}, {@code <main>} or
 * {@code <h1>}, since a class such as {@code page-with-sidebar} can sit on the page's whole body.
 *
 * <p>What survives this is not yet main content: link lists and short fragments are left to {@link
 * ParagraphClassifier}. The traversal is iterative (jsoup's {@link NodeTraversor}), so the depth of
 * the page does not matter, and it checks the deadline every {@value #DEADLINE_CHECK_INTERVAL}
 * nodes.
 */
final class BoilerplatePruner {

  static final int DEADLINE_CHECK_INTERVAL = 256;

  /** Elements whose content is never visible text, or is a control rather than prose. */
  private static final Set<String> NEVER_TEXT =
      Set.of(
          "applet",
          "audio",
          "button",
          "canvas",
          "datalist",
          "dialog",
          "embed",
          "frame",
          "frameset",
          "head",
          "iframe",
          "input",
          "label",
          "link",
          "map",
          "math",
          "meta",
          "noscript",
          "object",
          "optgroup",
          "option",
          "output",
          "progress",
          "script",
          "select",
          "style",
          "svg",
          "template",
          "textarea",
          "video");

  /** Elements that are the page's navigation, side matter and footer wherever they stand. */
  private static final Set<String> BOILERPLATE_ELEMENTS = Set.of("nav", "aside", "footer", "menu");

  /** ARIA landmark and widget roles of navigation and page furniture. */
  private static final Set<String> BOILERPLATE_ROLES =
      Set.of(
          "banner",
          "complementary",
          "contentinfo",
          "dialog",
          "menu",
          "menubar",
          "navigation",
          "search",
          "toolbar");

  /**
   * Words in class and id names that mark navigation and furniture (split on '-', '_' and case
   * changes are not split: {@code navbar} is one word). From trafilatura's boilerplate expressions,
   * narrowed to whole words.
   */
  private static final Set<String> BOILERPLATE_NAME_WORDS =
      Set.of(
          "breadcrumb",
          "breadcrumbs",
          "cookie",
          "cookies",
          "footer",
          "menu",
          "nav",
          "navbar",
          "navigation",
          "share",
          "sharing",
          "sidebar",
          "social",
          "skip");

  /**
   * Whole class names of text meant for screen readers only, and of MediaWiki's "[edit]" links in
   * headings (Wikipedia is among the largest sources of web text, and the links would make every
   * heading link-dense).
   */
  private static final Set<String> BOILERPLATE_CLASSES =
      Set.of(
          "sr-only",
          "screen-reader-text",
          "visually-hidden",
          "visuallyhidden",
          "mw-editsection",
          "mw-jump-link");

  /**
   * A form with more text than this wraps the page rather than being a search box or a comment
   * form: ASP.NET Web Forms put one {@code <form>} around the whole body.
   */
  private static final int FORM_WRAPPER_MIN_CHARS = 1000;

  private static final Pattern NAME_SEPARATORS = Pattern.compile("[^a-z0-9]+");
  private static final Pattern HIDDEN_STYLE =
      Pattern.compile("(?:display\\s*:\\s*none|visibility\\s*:\\s*hidden)");

  private BoilerplatePruner() {}

  /** Removes the boilerplate under {@code root}, in place. */
  static void prune(Element root, Deadline deadline) {
    NodeTraversor.filter(
        new NodeFilter() {
          private int visited;

          @Override
          public FilterResult head(Node node, int depth) {
            if (++visited % DEADLINE_CHECK_INTERVAL == 0) {
              deadline.check();
            }
            if (node instanceof Element element && node != root && isBoilerplate(element)) {
              return FilterResult.REMOVE;
            }
            return FilterResult.CONTINUE;
          }
        },
        root);
  }

  static boolean isBoilerplate(Element element) {
    String tag = element.normalName();
    if (tag.equals("body") || tag.equals("html") || tag.equals("main") || tag.equals("article")) {
      return false;
    }
    if (NEVER_TEXT.contains(tag) || BOILERPLATE_ELEMENTS.contains(tag) || isHidden(element)) {
      return true;
    }
    if (tag.equals("header")) {
      // Outside an article or main, a <header> is the page's banner (HTML's definition); inside,
      // it holds the article's title.
      return element.closest("article, main") == null;
    }
    if (tag.equals("form")) {
      return !holdsMainContent(element) && element.text().length() < FORM_WRAPPER_MIN_CHARS;
    }
    if (BOILERPLATE_ROLES.contains(element.attr("role").strip().toLowerCase(Locale.ROOT))) {
      return true;
    }
    return hasBoilerplateName(element) && !holdsMainContent(element);
  }

  private static boolean isHidden(Element element) {
    return element.hasAttr("hidden")
        || element.attr("aria-hidden").equalsIgnoreCase("true")
        || HIDDEN_STYLE.matcher(element.attr("style").toLowerCase(Locale.ROOT)).find();
  }

  private static boolean hasBoilerplateName(Element element) {
    for (String className : element.classNames()) {
      String name = className.toLowerCase(Locale.ROOT);
      if (BOILERPLATE_CLASSES.contains(name) || hasBoilerplateWord(name)) {
        return true;
      }
    }
    return hasBoilerplateWord(element.id().toLowerCase(Locale.ROOT));
  }

  private static boolean hasBoilerplateWord(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (String word : NAME_SEPARATORS.split(name)) {
      if (BOILERPLATE_NAME_WORDS.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holdsMainContent(Element element) {
    return element.selectFirst("article, main, h1") != null;
  }
}
