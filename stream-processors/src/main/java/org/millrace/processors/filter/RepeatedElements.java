package org.millrace.processors.filter;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many of a list's elements (lines, paragraphs) repeat an earlier one, and how many characters
 * those repeats hold: datatrove's {@code find_duplicates}, which Gopher's repetition rules and
 * FineWeb's duplicated-line rule share. The first copy of an element is not counted, only the later
 * ones.
 *
 * @param count the elements equal to an earlier element
 * @param chars their lengths in code points, summed
 */
record RepeatedElements(int count, long chars) {

  static RepeatedElements of(List<String> elements) {
    Set<String> seen = new HashSet<>();
    int count = 0;
    long chars = 0;
    for (String element : elements) {
      if (!seen.add(element)) {
        count++;
        chars += TextLines.length(element);
      }
    }
    return new RepeatedElements(count, chars);
  }
}
