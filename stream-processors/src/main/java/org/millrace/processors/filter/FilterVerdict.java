package org.millrace.processors.filter;

/** What a {@link DocumentFilter} decided about one document. */
public sealed interface FilterVerdict {

  FilterVerdict KEEP = new Keep();

  static FilterVerdict keep() {
    return KEEP;
  }

  /**
   * @param reason the machine-readable reason code (docs/filters.md lists them), for example {@code
   *     gopher_too_few_words}
   * @param value what the filter measured, in the unit of the threshold
   * @param threshold the limit the value crossed
   * @param detail a sentence for people, with the numbers
   */
  static FilterVerdict drop(String reason, double value, double threshold, String detail) {
    return new Drop(reason, value, threshold, detail);
  }

  record Keep() implements FilterVerdict {}

  record Drop(String reason, double value, double threshold, String detail)
      implements FilterVerdict {}
}
