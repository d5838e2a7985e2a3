package org.millrace.processors.filter;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.millrace.runtime.testing.GeneratedSection;

/**
 * docs/filters.md lists every filter's parameters with their defaults, between two markers. This
 * test fails when the list and the filters' Settings records disagree, and writes the list as it
 * should be to target/filter-parameters.md for copying in.
 */
class FilterDocTest {

  private static final Path DOC = Path.of("../docs/filters.md");
  private static final String BEGIN =
      "<!-- parameters: generated from Filters.ALL, checked by FilterDocTest -->";
  private static final String END = "<!-- end of parameters -->";

  @Test
  void theDocumentationListsEveryParameterWithItsDefault() throws Exception {
    GeneratedSection.check(DOC, BEGIN, END, table(), "filter-parameters.md");
  }

  static String table() {
    StringBuilder table = new StringBuilder();
    table.append("| filter | key | default |\n");
    table.append("| --- | --- | --- |\n");
    for (Filters.Definition<?> definition : Filters.ALL) {
      FilterParameters.defaults(definition.name(), definition.defaults())
          .forEach(
              (key, value) ->
                  table
                      .append("| `")
                      .append(definition.name())
                      .append("` | `")
                      .append(key)
                      .append("` | ")
                      .append(value.isEmpty() ? "(empty)" : "`" + value.replace("|", "\\|") + "`")
                      .append(" |\n"));
    }
    return table.toString();
  }
}
