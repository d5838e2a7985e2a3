package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
    String expected = table();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/filter-parameters.md"), expected);

    String doc = Files.readString(DOC);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertThat(begin).as("marker in %s", DOC).isNotNegative();
    assertThat(end).as("marker in %s", DOC).isGreaterThan(begin);
    assertThat(doc.substring(begin + BEGIN.length(), end).strip())
        .as("the parameter table of docs/filters.md; target/filter-parameters.md has it")
        .isEqualTo(expected.strip());
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
