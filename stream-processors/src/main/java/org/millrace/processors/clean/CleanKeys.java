package org.millrace.processors.clean;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.millrace.runtime.config.ConfigKeys;

/**
 * The clean stage's configuration keys: extraction and the quality filters' chains (each filter's
 * own parameters are {@code filters.<filter>.<parameter>}, bound by {@link
 * org.millrace.processors.filter.FilterParameters}). Composed with every other module's keys into
 * {@link org.millrace.runtime.config.MillraceConfig}; docs/configuration.md lists them.
 */
public final class CleanKeys implements ConfigKeys {

  public static final String EXTRACTION_TIMEOUT_MS = "clean.extraction.timeout.ms";
  public static final String FILTERS_CHAIN = "filters.chain";
  public static final String FILTERS_CODE_CHAIN = "filters.code.chain";

  @Override
  public int order() {
    return 20;
  }

  @Override
  public void define(ConfigDef definition) {
    definition
        // The clean stage
        .define(
            EXTRACTION_TIMEOUT_MS,
            Type.INT,
            1000,
            atLeast(1),
            Importance.LOW,
            "Time budget of the clean stage's extraction and normalisation of one document; a"
                + " document that needs more is rejected with reason `extraction_timeout`."
                + " datatrove gives trafilatura one second.")
        .define(
            FILTERS_CHAIN,
            Type.LIST,
            "url,language,gopher_repetition,gopher_quality,c4_quality,fineweb_quality,pii",
            Importance.HIGH,
            "The quality filters a document goes through after extraction, in order; the first"
                + " that drops it sends it to docs.rejected with its reason. FineWeb's order by"
                + " default. Empty: keep every document that has text. docs/filters.md lists the"
                + " filters and their parameters (`filters.<filter>.<parameter>`).")
        .define(
            FILTERS_CODE_CHAIN,
            Type.LIST,
            "code_quality,pii",
            Importance.MEDIUM,
            "The filters for source code (documents with metadata kind=code, from `millrace feed"
                + " --code` or a git repository): prose filters would drop most code.");
  }
}
