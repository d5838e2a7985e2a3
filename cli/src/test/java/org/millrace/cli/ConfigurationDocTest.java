package org.millrace.cli;

import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.GeneratedSection;

/**
 * docs/configuration.md lists every key of every module with its default, between two markers. This
 * test fails when the list and {@link MillraceConfig#DEFINITION} disagree, and writes the list as
 * it should be to target/configuration-keys.md for copying in.
 */
public class ConfigurationDocTest {

  private static final Path DOC = Path.of("../docs/configuration.md");
  private static final String BEGIN =
      "<!-- keys: generated from MillraceConfig.DEFINITION, checked by ConfigurationDocTest -->";
  private static final String END = "<!-- end of keys -->";

  @Test
  void theDocumentationListsEveryKeyWithItsDefault() throws Exception {
    GeneratedSection.check(DOC, BEGIN, END, table(), "configuration-keys.md");
  }

  static String table() {
    StringBuilder table = new StringBuilder();
    table.append("| key | type | default | environment variable | description |\n");
    table.append("| --- | --- | --- | --- | --- |\n");
    for (ConfigDef.ConfigKey key : MillraceConfig.DEFINITION.configKeys().values()) {
      String defaultValue =
          key.defaultValue == null ? "" : ConfigDef.convertToString(key.defaultValue, key.type);
      table
          .append("| `")
          .append(key.name)
          .append("` | ")
          .append(key.type.name().toLowerCase())
          .append(" | ")
          .append(defaultValue.isEmpty() ? "(empty)" : "`" + defaultValue + "`")
          .append(" | ")
          .append("`MILLRACE_")
          .append(key.name.toUpperCase().replace('.', '_'))
          .append("` | ")
          .append(key.documentation.replace("|", "\\|").replace("\n", " "))
          .append(" |\n");
    }
    return table.toString();
  }
}
