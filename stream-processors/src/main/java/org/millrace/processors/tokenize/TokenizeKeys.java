package org.millrace.processors.tokenize;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.millrace.runtime.config.ConfigKeys;

/**
 * The tokenize stage's configuration keys. Composed with every other module's keys into {@link
 * org.millrace.runtime.config.MillraceConfig}; docs/configuration.md lists them.
 */
public final class TokenizeKeys implements ConfigKeys {

  public static final String CHUNK_TOKENS = "tokenize.chunk.tokens";
  public static final String VALIDATION_FRACTION = "tokenize.validation.fraction";

  @Override
  public int order() {
    return 40;
  }

  @Override
  public void define(ConfigDef definition) {
    definition
        .define(
            CHUNK_TOKENS,
            Type.INT,
            65536,
            atLeast(16),
            Importance.LOW,
            "Documents longer than this many tokens are cut into several token records, in"
                + " order.")
        .define(
            VALIDATION_FRACTION,
            Type.DOUBLE,
            0.005,
            between(0.0, 1.0),
            Importance.LOW,
            "Fraction of documents, chosen deterministically by document id, marked VALIDATION"
                + " instead of TRAIN.");
  }
}
