package org.millrace.tokenizer;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.millrace.runtime.config.ConfigKeys;

/**
 * The tokenizer's configuration keys: which tokenizer the tokenize stage and the trainer share.
 * Composed with every other module's keys into {@link org.millrace.runtime.config.MillraceConfig};
 * docs/configuration.md lists them.
 */
public final class TokenizerKeys implements ConfigKeys {

  public static final String FILE = "tokenizer.file";
  public static final String END_OF_TEXT = "tokenizer.end.of.text";

  @Override
  public int order() {
    return 35;
  }

  @Override
  public void define(ConfigDef definition) {
    definition
        .define(
            FILE,
            Type.STRING,
            "",
            Importance.HIGH,
            "The tokenizer of the tokenize stage and the trainer: a Hugging Face tokenizer.json"
                + " (made by `millrace tokenizer train`, or GPT-2's, Llama's...) or a character"
                + " tokenizer file from `millrace tokenizer train --type char`. Empty: the"
                + " byte-level tokenizer (256 byte ids, <|endoftext|>, <|pad|>, <|mask|>). The"
                + " trainer refuses tokens made by another tokenizer.")
        .define(
            END_OF_TEXT,
            Type.STRING,
            "<|endoftext|>",
            Importance.LOW,
            "The token of a Hugging Face tokenizer that ends every document in the token stream"
                + " (Llama 3: <|end_of_text|>, Llama 2: </s>).");
  }
}
