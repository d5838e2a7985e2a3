package org.millrace.tokenizer.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeModelTest {

  @TempDir Path directory;

  private final BpeModel model = trained("aaabdaaabac aaabdaaabac", 256 + 3 + 2);

  @Test
  void writesHuggingFacesTokenizerJsonSchema() throws Exception {
    JsonNode json = new ObjectMapper().readTree(model.toTokenizerJson());

    // The order tokenizers itself writes (tokenizer/serialization.rs).
    assertThat(fieldNames(json))
        .containsExactly(
            "version",
            "truncation",
            "padding",
            "added_tokens",
            "normalizer",
            "pre_tokenizer",
            "post_processor",
            "decoder",
            "model");
    assertThat(json.get("version").asText()).isEqualTo("1.0");
    assertThat(json.get("truncation").isNull()).isTrue();
    assertThat(json.get("normalizer").isNull()).isTrue();
    assertThat(json.get("post_processor").isNull()).isTrue();
    for (String byteLevel : List.of("pre_tokenizer", "decoder")) {
      assertThat(json.get(byteLevel).toString())
          .isEqualTo(
              "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,"
                  + "\"use_regex\":true}");
    }
    assertThat(json.get("added_tokens").get(1).toString())
        .isEqualTo(
            "{\"id\":260,\"content\":\"<|pad|>\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}");

    JsonNode bpe = json.get("model");
    assertThat(fieldNames(bpe))
        .containsExactly(
            "type",
            "dropout",
            "unk_token",
            "continuing_subword_prefix",
            "end_of_word_suffix",
            "fuse_unk",
            "byte_fallback",
            "ignore_merges",
            "vocab",
            "merges");
    assertThat(bpe.get("type").asText()).isEqualTo("BPE");
    assertThat(bpe.get("byte_fallback").asBoolean()).isFalse();
    assertThat(bpe.get("vocab").size()).isEqualTo(261);
    assertThat(bpe.get("vocab").get("Ġ").asInt()).isEqualTo(32);
    assertThat(bpe.get("vocab").get("\"").asInt()).isEqualTo('"');
    assertThat(bpe.get("vocab").get("\\").asInt()).isEqualTo('\\');
    assertThat(bpe.get("vocab").get("<|endoftext|>").asInt()).isEqualTo(259);
    // Wikipedia's example of BPE, "aaabdaaabac": (a, a) first, making "aa a b d aa a b a c"; then
    // (a, b) and (aa, a) tie, and "a" is the smaller left token.
    assertThat(bpe.get("merges").toString()).isEqualTo("[\"a a\",\"a b\",\"aa ab\"]");
  }

  @Test
  void isIndentedLikeHuggingFacesPrettyForm() {
    assertThat(model.toTokenizerJson())
        .startsWith("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n")
        .contains("    \"merges\": [\n      \"a a\",\n      \"a b\",\n")
        .doesNotContain("\r");
  }

  @Test
  void writesUtf8() throws Exception {
    Path file = directory.resolve("tokenizer.json");

    model.write(file);

    assertThat(Files.readAllBytes(file))
        .isEqualTo(model.toTokenizerJson().getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\"Ġ\": 32");
  }

  @Test
  void theSameTrainingWritesTheSameBytes() {
    String text = TestCorpora.MULTILINGUAL.repeat(3);

    assertThat(trained(text, 600).toTokenizerJson())
        .isEqualTo(trained(text, 600).toTokenizerJson());
  }

  private static BpeModel trained(String text, int vocabularySize) {
    BpeTrainer trainer = new BpeTrainer(vocabularySize, List.of("<|endoftext|>", "<|pad|>"));
    trainer.add(text);
    return trainer.train();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
