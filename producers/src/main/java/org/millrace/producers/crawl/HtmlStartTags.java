package org.millrace.producers.crawl;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.parser.Parser;

/**
 * The start tags of an HTML document and their attributes, found in one pass over the text the way
 * the HTML tokenizer finds them (HTML standard, section 13.2.5), without building a tree: what a
 * crawler needs for links, at a fraction of a full parse's cost (docs/benchmarks.md, crawling).
 *
 * <p>Tags inside comments, {@code <!...>} and {@code <?...>} declarations are not tags; neither is
 * anything in the text of the elements whose content is not markup ({@code script}, {@code style},
 * {@code xmp}, {@code iframe}, {@code noembed}, {@code noframes}, {@code textarea}, {@code title};
 * all of a document after {@code <plaintext>}), as with jsoup, whose tokenizer follows the same
 * standard (scripting off, so {@code noscript}'s content is markup; jsoup alone reads it as text in
 * the {@code <head>}, where links do not belong). Tag and attribute names are lower-cased; of an
 * attribute written twice, the first counts; character references in values are decoded by jsoup's
 * own {@link Parser#unescapeEntities}. A tag the document ends inside is not reported.
 */
final class HtmlStartTags {

  /** Told about each start tag whose name the scan was asked for, in document order. */
  interface Visitor {
    void startTag(String name, Map<String, String> attributes);
  }

  /** Elements whose content is text to their end tag (raw text, RCDATA and script data). */
  private static final Set<String> TEXT_CONTENT =
      Set.of("script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title");

  private final String html;
  private final Set<String> wanted;
  private final Visitor visitor;
  private int position;

  private HtmlStartTags(String html, Set<String> wanted, Visitor visitor) {
    this.html = html;
    this.wanted = wanted;
    this.visitor = visitor;
  }

  /** Calls the visitor for each start tag named in {@code wanted} (lower case). */
  static void scan(String html, Set<String> wanted, Visitor visitor) {
    new HtmlStartTags(html, wanted, visitor).scan();
  }

  private void scan() {
    int length = html.length();
    while (true) {
      int open = html.indexOf('<', position);
      if (open < 0 || open + 1 >= length) {
        return;
      }
      char next = html.charAt(open + 1);
      position = open + 1;
      boolean more;
      if (isAsciiLetter(next)) {
        more = tag(true);
      } else if (next == '/' && open + 2 < length && isAsciiLetter(html.charAt(open + 2))) {
        position = open + 2;
        more = tag(false);
      } else if (next == '!') {
        more = declarationOrComment(open + 2);
      } else if (next == '/' || next == '?') {
        more = skipPast('>', open + 2); // a bogus comment, or "</>", which is nothing
      } else {
        more = true; // a '<' that starts no tag is text
      }
      if (!more) {
        return;
      }
    }
  }

  /**
   * Reads a tag from its name on; reports a wanted start tag, and skips the text content of the
   * elements that have one. False when the document ends first.
   */
  private boolean tag(boolean start) {
    int length = html.length();
    int nameStart = position;
    while (position < length && !endsName(html.charAt(position))) {
      position++;
    }
    String name = html.substring(nameStart, position).toLowerCase(Locale.ROOT);
    boolean report = start && wanted.contains(name);
    Map<String, String> attributes = report ? new HashMap<>() : null;
    while (true) {
      while (position < length
          && (isWhitespace(html.charAt(position)) || html.charAt(position) == '/')) {
        position++;
      }
      if (position >= length) {
        return false;
      }
      if (html.charAt(position) == '>') {
        position++;
        break;
      }
      int attributeStart = position;
      position++; // the first character of a name may be '=' (a parse error, but part of the name)
      while (position < length
          && !endsName(html.charAt(position))
          && html.charAt(position) != '=') {
        position++;
      }
      int attributeEnd = position;
      while (position < length && isWhitespace(html.charAt(position))) {
        position++;
      }
      String value = "";
      if (position < length && html.charAt(position) == '=') {
        position++;
        while (position < length && isWhitespace(html.charAt(position))) {
          position++;
        }
        if (position >= length) {
          return false;
        }
        char quote = html.charAt(position);
        int valueStart;
        int valueEnd;
        if (quote == '"' || quote == '\'') {
          valueStart = position + 1;
          valueEnd = html.indexOf(quote, valueStart);
          if (valueEnd < 0) {
            return false;
          }
          position = valueEnd + 1;
        } else {
          valueStart = position;
          while (position < length
              && !isWhitespace(html.charAt(position))
              && html.charAt(position) != '>') {
            position++;
          }
          valueEnd = position;
        }
        if (report) {
          value = html.substring(valueStart, valueEnd);
        }
      }
      if (report) {
        String attribute = html.substring(attributeStart, attributeEnd).toLowerCase(Locale.ROOT);
        attributes.putIfAbsent(
            attribute, value.indexOf('&') < 0 ? value : Parser.unescapeEntities(value, true));
      }
    }
    if (report) {
      visitor.startTag(name, attributes);
    }
    if (start && name.equals("plaintext")) {
      return false;
    }
    if (start && TEXT_CONTENT.contains(name)) {
      return skipToEndTag(name);
    }
    return true;
  }

  /** After "<!": a comment, or a declaration (doctype, CDATA) read as a bogus comment. */
  private boolean declarationOrComment(int from) {
    if (!html.startsWith("--", from)) {
      return skipPast('>', from);
    }
    int body = from + 2;
    if (html.startsWith(">", body)) {
      position = body + 1; // "<!-->": an empty comment
      return true;
    }
    if (html.startsWith("->", body)) {
      position = body + 2; // "<!--->"
      return true;
    }
    int end = html.indexOf("--", body);
    while (end >= 0) {
      if (html.startsWith("-->", end)) {
        position = end + 3;
        return true;
      }
      if (html.startsWith("--!>", end)) {
        position = end + 4;
        return true;
      }
      end = html.indexOf("--", end + 1);
    }
    return false;
  }

  /** To the first {@code </name} (any case) followed by whitespace, '/' or '>'. */
  private boolean skipToEndTag(String name) {
    int length = html.length();
    int candidate = html.indexOf("</", position);
    while (candidate >= 0) {
      int after = candidate + 2 + name.length();
      if (html.regionMatches(true, candidate + 2, name, 0, name.length())
          && after < length
          && (endsName(html.charAt(after)))) {
        position = candidate;
        return true;
      }
      candidate = html.indexOf("</", candidate + 2);
    }
    return false;
  }

  private boolean skipPast(char c, int from) {
    int at = html.indexOf(c, from);
    if (at < 0) {
      return false;
    }
    position = at + 1;
    return true;
  }

  private static boolean endsName(char c) {
    return isWhitespace(c) || c == '/' || c == '>';
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
