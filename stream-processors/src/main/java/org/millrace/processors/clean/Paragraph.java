package org.millrace.processors.clean;

/**
 * One block of a page's text as the paragraph splitter cut it: a paragraph, heading, list item,
 * table row or {@code <pre>} block, with what the classifier needs to judge it.
 *
 * @param text the text, whitespace collapsed (line breaks from {@code <br>} kept), or verbatim for
 *     a {@code <pre>} block
 * @param linkChars how many of its non-space characters are inside links
 * @param heading whether it is (inside) a heading {@code <h1>}–{@code <h6>}
 * @param preformatted whether it is a {@code <pre>} block, kept verbatim
 */
record Paragraph(String text, int linkChars, boolean heading, boolean preformatted) {

  /** The length jusText's thresholds are measured in: characters of the collapsed text. */
  int length() {
    return text.length();
  }

  /** Share of the non-space characters that are inside links. */
  double linkDensity() {
    int chars = nonSpaceChars();
    return chars == 0 ? 0 : (double) linkChars / chars;
  }

  int nonSpaceChars() {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        count++;
      }
    }
    return count;
  }
}
