package org.millrace.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.Split;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.tokenizer.PackedTokenIds;

/**
 * Writes token ids to the tokens topic as the tokenize stage would, for benchmarks that train on a
 * text tokenized here (tinyshakespeare at character level).
 */
final class TokenTopicWriter {

  private static final int CHUNK = 65536;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final String fingerprint;
  private final String source;

  TokenTopicWriter(
      KafkaProducer<byte[], byte[]> producer, String topic, String fingerprint, String source) {
    this.producer = producer;
    this.topic = topic;
    this.fingerprint = fingerprint;
    this.source = source;
  }

  /** {@code ids[from, to)} as one document, cut into chunks as the tokenize stage would. */
  void send(String id, int[] ids, int from, int to, Split split) {
    int chunks = (to - from + CHUNK - 1) / CHUNK;
    for (int chunk = 0; chunk < chunks; chunk++) {
      int start = from + chunk * CHUNK;
      int end = Math.min(to, start + CHUNK);
      TokenizedDocument record =
          TokenizedDocument.newBuilder()
              .setDocumentId(id)
              .setChunkIndex(chunk)
              .setChunkCount(chunks)
              .setTokenCount(end - start)
              .setTokenWidth(2)
              .setTokens(ByteBuffer.wrap(PackedTokenIds.pack(ids, start, end, 2)))
              .setTokenizerFingerprint(fingerprint)
              .setSplit(split)
              .setSource(source)
              .build();
      producer.send(
          new ProducerRecord<>(
              topic,
              id.getBytes(StandardCharsets.UTF_8),
              AvroSerde.tokenizedDocument().encode(record)));
    }
  }
}
