package org.millrace.processors.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.processors.Stages;
import org.millrace.processors.TopologyDrivers;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.tokenizer.PackedTokenIds;

class TokenizeTopologyTest {

  private static final MillraceConfig CONFIG =
      MillraceConfig.of(Map.of(TokenizeKeys.CHUNK_TOKENS, "1000"));
  private static final Topics TOPICS = Topics.of(CONFIG);

  private final ByteLevelTokenizer tokenizer = new ByteLevelTokenizer();
  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> unique;
  private TestOutputTopic<String, TokenizedDocument> tokens;
  private TestOutputTopic<String, RejectedDocument> rejected;

  @BeforeEach
  void start() {
    driver =
        TopologyDrivers.driver(
            TokenizeTopology.build(CONFIG, Stages.TOKENIZE.applicationId(), tokenizer),
            CONFIG,
            Stages.TOKENIZE.applicationId(),
            stateDir);
    unique = TopologyDrivers.input(driver, TOPICS.unique());
    tokens = TopologyDrivers.output(driver, TOPICS.tokens(), AvroSerde.tokenizedDocument());
    rejected = TopologyDrivers.output(driver, TOPICS.rejected(), AvroSerde.rejectedDocument());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aHugeDocumentComesOutInOrderedChunksUnderItsId() {
    StringBuilder text = new StringBuilder();
    for (int line = 0; line < 2000; line++) {
      text.append("line ").append(line).append('\n');
    }
    pipe(DocumentTokenizerTest.document("huge", text.toString()));

    List<KeyValue<String, TokenizedDocument>> records = tokens.readKeyValuesToList();

    assertThat(records.size()).isGreaterThan(10);
    assertThat(records).allSatisfy(kv -> assertThat(kv.key).isEqualTo("huge"));
    assertThat(records)
        .extracting(kv -> kv.value.getChunkIndex())
        .containsExactlyElementsOf(IntStream.range(0, records.size()).boxed().toList());
    assertThat(records)
        .allSatisfy(kv -> assertThat(kv.value.getTokenCount()).isLessThanOrEqualTo(1000));
    int[] joined =
        records.stream()
            .flatMapToInt(
                kv ->
                    IntStream.of(
                        PackedTokenIds.unpack(kv.value.getTokens(), kv.value.getTokenWidth())))
            .toArray();
    assertThat(tokenizer.decode(joined)).isEqualTo(text + ByteLevelTokenizer.END_OF_TEXT);
  }

  @Test
  void anEmptyDocumentAndAMalformedRecordAreRejectedWithTheirReasons() {
    pipe(DocumentTokenizerTest.document("empty", ""));
    unique.pipeInput("bad".getBytes(), new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
    pipe(DocumentTokenizerTest.document("fine", "ok"));

    List<RejectedDocument> rejections = rejected.readValuesToList();

    assertThat(rejections).extracting(RejectedDocument::getId).containsExactly("empty", "bad");
    assertThat(rejections)
        .extracting(RejectedDocument::getReason)
        .containsExactly("empty_document", "malformed_avro");
    assertThat(rejections).allSatisfy(r -> assertThat(r.getStage()).isEqualTo("tokenize"));
    assertThat(tokens.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("fine");
  }

  @Test
  void aCharacterTokenizerRejectsADocumentWithACharacterOutsideItsVocabulary() throws Exception {
    CharacterTokenizer characters =
        CharacterTokenizer.train("abcdefghijklmnopqrstuvwxyz ", List.of("<|endoftext|>"));
    try (TopologyTestDriver charDriver =
        TopologyDrivers.driver(
            TokenizeTopology.build(CONFIG, Stages.TOKENIZE.applicationId(), characters),
            CONFIG,
            Stages.TOKENIZE.applicationId(),
            stateDir.resolve("chars"))) {
      TestInputTopic<byte[], byte[]> input = TopologyDrivers.input(charDriver, TOPICS.unique());
      TestOutputTopic<String, TokenizedDocument> output =
          TopologyDrivers.output(charDriver, TOPICS.tokens(), AvroSerde.tokenizedDocument());
      TestOutputTopic<String, RejectedDocument> rejections =
          TopologyDrivers.output(charDriver, TOPICS.rejected(), AvroSerde.rejectedDocument());

      CleanDocument plain = DocumentTokenizerTest.document("plain", "hello world");
      CleanDocument accented = DocumentTokenizerTest.document("accented", "héllo");
      input.pipeInput(plain.getId().getBytes(), AvroSerde.cleanDocument().encode(plain));
      input.pipeInput(accented.getId().getBytes(), AvroSerde.cleanDocument().encode(accented));

      TokenizedDocument tokens = output.readValue();
      assertThat(
              characters.decode(PackedTokenIds.unpack(tokens.getTokens(), tokens.getTokenWidth())))
          .isEqualTo("hello world<|endoftext|>");
      assertThat(tokens.getTokenizerFingerprint()).isEqualTo(characters.fingerprint());
      RejectedDocument rejection = rejections.readValue();
      assertThat(rejection.getId()).isEqualTo("accented");
      assertThat(rejection.getReason()).isEqualTo("out_of_vocabulary");
      assertThat(rejection.getDetail()).contains("U+00E9");
    }
  }

  private void pipe(CleanDocument document) {
    unique.pipeInput(document.getId().getBytes(), AvroSerde.cleanDocument().encode(document));
  }
}
