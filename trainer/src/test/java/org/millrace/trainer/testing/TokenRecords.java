package org.millrace.trainer.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.Split;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.tokenizer.PackedTokenIds;
import org.millrace.tokenizer.Tokenizer;

/** Records of the tokens topic, as the tokenize stage writes them, for the trainer's tests. */
public final class TokenRecords {

  private TokenRecords() {}

  /** The ids of {@code text}, then the tokenizer's end-of-text id. */
  public static int[] withEndOfText(Tokenizer tokenizer, String text) {
    int[] ids = tokenizer.encode(text);
    int[] withEnd = Arrays.copyOf(ids, ids.length + 1);
    withEnd[ids.length] = tokenizer.endOfTextId();
    return withEnd;
  }

  /** Document {@code id} in one chunk of {@code ids}, two bytes an id, from source "test". */
  public static TokenizedDocument document(
      String id, int[] ids, String tokenizerFingerprint, Split split) {
    return TokenizedDocument.newBuilder()
        .setDocumentId(id)
        .setChunkIndex(0)
        .setChunkCount(1)
        .setTokenCount(ids.length)
        .setTokenWidth(2)
        .setTokens(ByteBuffer.wrap(PackedTokenIds.pack(ids, 0, ids.length, 2)))
        .setTokenizerFingerprint(tokenizerFingerprint)
        .setSplit(split)
        .setSource("test")
        .build();
  }

  /**
   * {@code document} as a record of {@code topic}, keyed by its id, on {@code partition} (null: the
   * producer's choice).
   */
  public static ProducerRecord<byte[], byte[]> record(
      String topic, Integer partition, TokenizedDocument document) {
    return new ProducerRecord<>(
        topic,
        partition,
        document.getDocumentId().getBytes(StandardCharsets.UTF_8),
        AvroSerde.tokenizedDocument().encode(document));
  }
}
