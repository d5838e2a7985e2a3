package org.millrace.tokenizer.bpe;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Loads a tokenizer.json through DJL the way a training pipeline uses it. */
final class HuggingFaceTokenizers {

  /**
   * DJL's defaults suit a BERT-style classifier, not a token stream: it adds the post-processor's
   * special tokens, pads, and truncates to 512 tokens ("modelMaxLength") when the file sets no
   * truncation. All three off, ids are exactly the model's.
   */
  static final Map<String, String> TOKEN_STREAM_OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private HuggingFaceTokenizers() {}

  static HuggingFaceTokenizer load(Path tokenizerJson) throws IOException {
    return HuggingFaceTokenizer.newInstance(tokenizerJson, TOKEN_STREAM_OPTIONS);
  }
}
