package org.millrace.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any Hugging Face {@code tokenizer.json} (ours from {@code millrace tokenizer train}, GPT-2's,
 * Llama's), run by the Rust tokenizers library through DJL, whose native library ships inside its
 * jar. The fingerprint is that of the file's bytes: the same file, the same ids.
 */
public final class HuggingFaceTokenizerFile implements Tokenizer, AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;
  private final int vocabularySize;
  private final int endOfTextId;
  private final String fingerprint;
  private final Path file;
  private final Map<String, Integer> specialTokens;

  private HuggingFaceTokenizerFile(
      HuggingFaceTokenizer tokenizer,
      int vocabularySize,
      int endOfTextId,
      Map<String, Integer> specialTokens,
      String fingerprint,
      Path file) {
    this.tokenizer = tokenizer;
    this.vocabularySize = vocabularySize;
    this.endOfTextId = endOfTextId;
    this.fingerprint = fingerprint;
    this.file = file;
    this.specialTokens = Map.copyOf(specialTokens);
  }

  /**
   * @param endOfText the token that ends every document in the token stream (GPT-2: {@code
   *     <|endoftext|>})
   * @throws IllegalArgumentException when the tokenizer has no such token
   */
  static HuggingFaceTokenizerFile load(Path file, byte[] contents, JsonNode json, String endOfText)
      throws IOException {
    int vocabularySize = 0;
    Integer endOfTextId = null;
    for (Map.Entry<String, JsonNode> entry : iterable(json.path("model").path("vocab"))) {
      vocabularySize = Math.max(vocabularySize, entry.getValue().asInt() + 1);
      if (entry.getKey().equals(endOfText)) {
        endOfTextId = entry.getValue().asInt();
      }
    }
    Map<String, Integer> specialTokens = new java.util.HashMap<>();
    for (JsonNode added : json.path("added_tokens")) {
      vocabularySize = Math.max(vocabularySize, added.path("id").asInt() + 1);
      specialTokens.put(added.path("content").asText(), added.path("id").asInt());
      if (added.path("content").asText().equals(endOfText)) {
        endOfTextId = added.path("id").asInt();
      }
    }
    if (endOfTextId == null) {
      throw new IllegalArgumentException(
          "tokenizer "
              + file
              + " has no end-of-text token '"
              + endOfText
              + "': set tokenizer.end.of.text to the token that separates its documents (for"
              + " example </s> or <|end_of_text|>)");
    }
    // No special tokens added around a document (the stage appends end-of-text itself), and
    // decoding
    // gives back the text exactly, without "clean-up" of spaces.
    HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.newInstance(
            file, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    return new HuggingFaceTokenizerFile(
        tokenizer, vocabularySize, endOfTextId, specialTokens, Fingerprints.of(contents), file);
  }

  @Override
  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  public int endOfTextId() {
    return endOfTextId;
  }

  @Override
  public int[] encode(String text) {
    return toInts(tokenizer.encode(text, false, false).getIds());
  }

  /** Encodes texts together: the Rust library spreads a batch over its own threads. */
  @Override
  public List<int[]> encodeAll(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
    List<int[]> ids = new ArrayList<>(encodings.length);
    for (Encoding encoding : encodings) {
      ids.add(toInts(encoding.getIds()));
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabularySize) {
        throw new IllegalArgumentException(
            "token id " + ids[i] + " is outside the vocabulary 0.." + (vocabularySize - 1));
      }
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, false);
  }

  @Override
  public java.util.OptionalInt specialTokenId(String token) {
    Integer id = specialTokens.get(token);
    return id == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(id);
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "Hugging Face tokenizer "
        + file
        + " ("
        + vocabularySize
        + " ids, fingerprint "
        + fingerprint
        + ")";
  }

  private static int[] toInts(long[] ids) {
    int[] ints = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ints[i] = Math.toIntExact(ids[i]);
    }
    return ints;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
    return object::fields;
  }

  static boolean isHuggingFace(JsonNode json) {
    return json.has("model") && json.has("added_tokens");
  }

  static byte[] read(Path file) throws IOException {
    return Files.readAllBytes(file);
  }
}
