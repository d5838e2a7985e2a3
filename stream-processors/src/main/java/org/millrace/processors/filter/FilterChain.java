package org.millrace.processors.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.millrace.schemas.reject.Rejection.FilterDrop;

/**
 * The clean stage's filters in their configured order ({@code filters.chain}), and the shorter
 * chain for source code ({@code filters.code.chain}): prose filters would drop most code.
 */
public final class FilterChain {

  private final List<DocumentFilter> prose;
  private final List<DocumentFilter> code;

  public FilterChain(List<DocumentFilter> prose, List<DocumentFilter> code) {
    this.prose = List.copyOf(prose);
    this.code = List.copyOf(code);
  }

  /** A chain that keeps everything. */
  public static FilterChain none() {
    return new FilterChain(List.of(), List.of());
  }

  /** The filters a document goes through: the code chain for source code, the prose one else. */
  public List<DocumentFilter> filtersFor(FilterDocument document) {
    return document.isCode() ? code : prose;
  }

  /**
   * Runs the document through its chain until a filter drops it. Filters that rewrite the text or
   * add metadata do so on {@code document}.
   *
   * @return why it was dropped, or empty when every filter kept it
   */
  public Optional<FilterDrop> run(FilterDocument document) {
    for (DocumentFilter filter : filtersFor(document)) {
      if (filter.apply(document) instanceof FilterVerdict.Drop drop) {
        return Optional.of(dropBy(filter, drop));
      }
    }
    return Optional.empty();
  }

  /**
   * Runs every filter of the document's chain, even after one has dropped it, so that every signal
   * is measured: for {@code millrace inspect}. A filter after a drop sees the text as the filters
   * before it left it.
   */
  public List<Step> runAll(FilterDocument document) {
    List<Step> steps = new ArrayList<>();
    for (DocumentFilter filter : filtersFor(document)) {
      FilterVerdict verdict = filter.apply(document);
      steps.add(
          new Step(
              filter.name(),
              verdict instanceof FilterVerdict.Drop drop
                  ? Optional.of(dropBy(filter, drop))
                  : Optional.empty()));
    }
    return steps;
  }

  /** One filter's verdict in {@link #runAll}. */
  public record Step(String filter, Optional<FilterDrop> drop) {}

  private static FilterDrop dropBy(DocumentFilter filter, FilterVerdict.Drop drop) {
    return new FilterDrop(
        filter.name(), drop.reason(), drop.value(), drop.threshold(), drop.detail());
  }
}
