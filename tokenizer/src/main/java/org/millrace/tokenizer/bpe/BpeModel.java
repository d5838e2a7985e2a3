package org.millrace.tokenizer.bpe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained byte-level BPE vocabulary: the tokens by id (the 256 bytes, the learned tokens, the
 * special tokens) and the merges in the order learned, written as the Hugging Face {@code
 * tokenizer.json} that GPT-2's tokenizer uses, so that DJL's {@code HuggingFaceTokenizer} and
 * Python's {@code tokenizers} load it:
 *
 * <ul>
 *   <li>pre-tokenizer and decoder {@code ByteLevel} with {@code add_prefix_space: false} (text is
 *       encoded as it is; {@link GptPreTokenizer} splits it the same way), no normalizer, no
 *       post-processor (nothing is added around a sequence; offsets keep their leading space);
 *   <li>model {@code BPE} with no unknown token and no byte fallback, needed by neither since every
 *       byte is a token; merges as {@code "left right"} strings, the form every version of
 *       tokenizers reads (it writes {@code ["left", "right"]} since 0.20, huggingface/tokenizers
 *       #909, which older versions cannot read), and unambiguous here, since a byte-level token
 *       never holds a space;
 *   <li>the special tokens both in the model's vocabulary, as GPT-2's {@code <|endoftext|>} is, and
 *       in {@code added_tokens} ({@code special: true, normalized: false}), so they are matched in
 *       the raw text and never split.
 * </ul>
 *
 * <p>Fields are written in the order Hugging Face writes them ({@code tokenizer/serialization.rs},
 * {@code models/bpe/serialization.rs}), indented like its pretty form, with "\n" line ends: the
 * same model always gives the same bytes.
 */
public final class BpeModel {

  /** One merge: two adjacent tokens, in byte-level form, that become one. */
  public record Merge(String left, String right) {}

  private final List<String> vocabulary;
  private final List<Merge> merges;
  private final List<String> specialTokens;

  BpeModel(List<String> tokens, List<Merge> merges, List<String> specialTokens) {
    List<String> vocabulary = new ArrayList<>(tokens);
    vocabulary.addAll(specialTokens);
    this.vocabulary = List.copyOf(vocabulary);
    this.merges = List.copyOf(merges);
    this.specialTokens = List.copyOf(specialTokens);
  }

  public int vocabularySize() {
    return vocabulary.size();
  }

  /**
   * Every token by id: the bytes and learned tokens in byte-level form ({@link ByteLevelAlphabet}),
   * then the special tokens as given.
   */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /** The merges in the order learned, which is the order the encoder applies them in. */
  public List<Merge> merges() {
    return merges;
  }

  public List<String> specialTokens() {
    return specialTokens;
  }

  /** The id of a special token. */
  public int specialTokenId(String token) {
    int index = specialTokens.indexOf(token);
    if (index < 0) {
      throw new IllegalArgumentException(token + " is not a special token of " + specialTokens);
    }
    return vocabulary.size() - specialTokens.size() + index;
  }

  /** Writes {@link #toTokenizerJson()} to {@code path} in UTF-8. */
  public void write(Path path) throws IOException {
    Files.writeString(path, toTokenizerJson(), StandardCharsets.UTF_8);
  }

  /** This model as a Hugging Face {@code tokenizer.json}. */
  public String toTokenizerJson() {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.setPrettyPrinter(prettyPrinter());
      writeTokenizer(json);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return text.toString();
  }

  /** Two-space indents, {@code "key": value}, one array element a line, as serde_json's pretty. */
  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withObjectIndenter(indenter)
        .withArrayIndenter(indenter);
  }

  private void writeTokenizer(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("version", "1.0");
    json.writeNullField("truncation");
    json.writeNullField("padding");
    json.writeArrayFieldStart("added_tokens");
    for (String token : specialTokens) {
      json.writeStartObject();
      json.writeNumberField("id", specialTokenId(token));
      json.writeStringField("content", token);
      json.writeBooleanField("single_word", false);
      json.writeBooleanField("lstrip", false);
      json.writeBooleanField("rstrip", false);
      json.writeBooleanField("normalized", false);
      json.writeBooleanField("special", true);
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeNullField("normalizer");
    json.writeFieldName("pre_tokenizer");
    writeByteLevel(json);
    json.writeNullField("post_processor");
    json.writeFieldName("decoder");
    writeByteLevel(json);
    json.writeFieldName("model");
    writeModel(json);
    json.writeEndObject();
  }

  /** GPT-2's settings; {@code trim_offsets} only matters to a post-processor, which we have not. */
  private static void writeByteLevel(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("type", "ByteLevel");
    json.writeBooleanField("add_prefix_space", false);
    json.writeBooleanField("trim_offsets", true);
    json.writeBooleanField("use_regex", true);
    json.writeEndObject();
  }

  private void writeModel(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("type", "BPE");
    json.writeNullField("dropout");
    json.writeNullField("unk_token");
    json.writeNullField("continuing_subword_prefix");
    json.writeNullField("end_of_word_suffix");
    json.writeBooleanField("fuse_unk", false);
    json.writeBooleanField("byte_fallback", false);
    json.writeBooleanField("ignore_merges", false);
    json.writeObjectFieldStart("vocab");
    for (int id = 0; id < vocabulary.size(); id++) {
      json.writeNumberField(vocabulary.get(id), id);
    }
    json.writeEndObject();
    json.writeArrayFieldStart("merges");
    for (Merge merge : merges) {
      json.writeString(merge.left() + " " + merge.right());
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
