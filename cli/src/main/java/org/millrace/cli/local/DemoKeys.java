package org.millrace.cli.local;


import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.millrace.runtime.config.ConfigKeys;

/**
 * {@code millrace demo}'s configuration keys. Composed with every other module's keys into {@link
 * org.millrace.runtime.config.MillraceConfig}; docs/configuration.md lists them.
 */
public final class DemoKeys implements ConfigKeys {

  public static final String CORPUS = "demo.corpus";

  @Override
  public int order() {
    return 70;
  }

  @Override
  public void define(ConfigDef definition) {
    definition.define(
        CORPUS,
        Type.STRING,
        "cli/target/demo-corpus",
        Importance.LOW,
        "Files `millrace demo` feeds: by default the HTML pages of the javadoc jars of"
            + " Millrace's own dependencies, which the build fetches from Maven Central."
            + " Relative to the Millrace home (the repository root).");
  }
}
