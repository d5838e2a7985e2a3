package org.millrace.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.millrace.runtime.config.MillraceConfig;

/** Loads the tokenizer a configuration names. */
public final class Tokenizers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Tokenizers() {}

  /**
   * The configured tokenizer ({@link TokenizerKeys#FILE}), which the tokenize stage and the trainer
   * must share.
   */
  public static Tokenizer load(MillraceConfig config) throws IOException {
    String file = config.getString(TokenizerKeys.FILE);
    return load(file.isBlank() ? null : Path.of(file), config.getString(TokenizerKeys.END_OF_TEXT));
  }

  /**
   * @param file a Hugging Face {@code tokenizer.json} or a Millrace character tokenizer file; null
   *     for the byte-level tokenizer
   * @param endOfText the end-of-text token of a Hugging Face tokenizer
   */
  public static Tokenizer load(Path file, String endOfText) throws IOException {
    if (file == null) {
      return new ByteLevelTokenizer();
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("tokenizer file " + file.toAbsolutePath() + " does not exist");
    }
    byte[] contents = Files.readAllBytes(file);
    JsonNode json;
    try {
      json = JSON.readTree(contents);
    } catch (IOException e) {
      throw new IOException("tokenizer file " + file + " is not JSON: " + e.getMessage(), e);
    }
    if (CharacterTokenizer.TYPE.equals(json.path("type").asText())) {
      return CharacterTokenizer.fromJson(json);
    }
    if (HuggingFaceTokenizerFile.isHuggingFace(json)) {
      return HuggingFaceTokenizerFile.load(file, contents, json, endOfText);
    }
    throw new IOException(
        "tokenizer file "
            + file
            + " is neither a Hugging Face tokenizer.json nor a Millrace character tokenizer");
  }
}
