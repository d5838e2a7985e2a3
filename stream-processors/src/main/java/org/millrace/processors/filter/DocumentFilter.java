package org.millrace.processors.filter;

/**
 * One step of the clean stage's filter chain: it measures a document, may rewrite its text (C4
 * drops lines, PII is replaced by placeholders) or add metadata (the language), and says whether
 * the document is kept. In the spirit of datatrove's {@code BaseFilter}: one small class per
 * filter, thresholds as constructor arguments with the published defaults.
 *
 * <p>A filter records every signal it measures with {@link FilterDocument#signal}, before it
 * decides, so that {@code millrace inspect} can show all of them and users can tune thresholds.
 */
public interface DocumentFilter {

  /** The name in {@code filters.chain}, in rejections ({@code filter}) and in metrics. */
  String name();

  /** Measures the document and keeps it, or drops it with a reason, the value and the threshold. */
  FilterVerdict apply(FilterDocument document);
}
