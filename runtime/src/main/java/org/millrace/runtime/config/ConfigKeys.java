package org.millrace.runtime.config;

import org.apache.kafka.common.config.ConfigDef;

/**
 * A module's configuration keys: their names, types, defaults and documentation, defined by the
 * module that reads them. Each module lists its implementations in {@code
 * META-INF/services/org.millrace.runtime.config.ConfigKeys}, and {@link MillraceConfig} composes
 * every one on the class path with the runtime's own keys, so a key is named and documented once,
 * next to the code that uses it.
 */
public interface ConfigKeys {

  /**
   * Where these keys stand among the others in {@link MillraceConfig#DEFINITION} and so in
   * docs/configuration.md: the order the data flows (producers 10, clean 20, dedup 30, tokenizer
   * 35, tokenize 40, trainer 50, dashboard 60, demo 70).
   */
  int order();

  /** Adds the keys to {@code definition}. */
  void define(ConfigDef definition);
}
