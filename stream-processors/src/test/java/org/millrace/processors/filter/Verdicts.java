package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on a filter's verdict, shared by the filter tests. */
final class Verdicts {

  private Verdicts() {}

  static void assertKept(FilterVerdict verdict) {
    assertThat(verdict).isEqualTo(FilterVerdict.keep());
  }

  static FilterVerdict.Drop assertDropped(FilterVerdict verdict, String reason) {
    assertThat(verdict).isInstanceOf(FilterVerdict.Drop.class);
    FilterVerdict.Drop drop = (FilterVerdict.Drop) verdict;
    assertThat(drop.reason()).isEqualTo(reason);
    assertThat(drop.detail()).isNotBlank();
    return drop;
  }
}
