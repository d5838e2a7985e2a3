package org.millrace.trainer.diloco;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The wire form of {@link SyncRecord}s: the key is the run id, the fields are Kafka headers (text),
 * and a chunk's value is its values, little-endian fp32 or fp16 ({@link PseudoGradientEncoding}),
 * {@value #VALUES_PER_CHUNK} at most (512 KiB in fp32, under Kafka's default 1 MiB message size).
 */
public final class SyncRecords {

  /**
   * The partition every sync record goes to and is read from, whatever the topic's partition count:
   * one partition is one log order for all workers.
   */
  public static final int PARTITION = 0;

  /** Values per chunk: 2^17, 512 KiB in fp32. */
  public static final int VALUES_PER_CHUNK = 1 << 17;

  static final String KIND = "millrace.kind";
  static final String ROUND = "millrace.round";
  static final String WORKER = "millrace.worker";
  static final String ATTEMPT = "millrace.attempt";
  static final String CHUNK = "millrace.chunk";
  static final String CHUNKS = "millrace.chunks";
  static final String FIRST_VALUE = "millrace.first.value";
  static final String TOTAL_VALUES = "millrace.total.values";
  static final String ENCODING = "millrace.encoding";
  static final String PSEUDO_GRADIENT = "pseudo-gradient";
  static final String CLOSE = "round-close";

  private SyncRecords() {}

  /** A worker's pseudo-gradient for a round, as chunk records in the order they must be sent. */
  public static List<ProducerRecord<byte[], byte[]>> pseudoGradient(
      String topic,
      String runId,
      long round,
      int worker,
      long attempt,
      PseudoGradientEncoding encoding,
      float[] pseudoGradient) {
    int chunks = Math.max(1, (pseudoGradient.length + VALUES_PER_CHUNK - 1) / VALUES_PER_CHUNK);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(chunks);
    for (int chunk = 0; chunk < chunks; chunk++) {
      int first = chunk * VALUES_PER_CHUNK;
      int count = Math.min(VALUES_PER_CHUNK, pseudoGradient.length - first);
      Headers headers = new RecordHeaders();
      add(headers, KIND, PSEUDO_GRADIENT);
      add(headers, ROUND, round);
      add(headers, WORKER, worker);
      add(headers, ATTEMPT, attempt);
      add(headers, CHUNK, chunk);
      add(headers, CHUNKS, chunks);
      add(headers, FIRST_VALUE, first);
      add(headers, TOTAL_VALUES, pseudoGradient.length);
      add(headers, ENCODING, encoding.id());
      records.add(
          new ProducerRecord<>(
              topic,
              PARTITION,
              key(runId),
              encoding.encode(pseudoGradient, first, count),
              headers));
    }
    return records;
  }

  /** A worker's decision that round {@code round} closes here (its timeout passed). */
  public static ProducerRecord<byte[], byte[]> roundClose(
      String topic, String runId, long round, int worker) {
    Headers headers = new RecordHeaders();
    add(headers, KIND, CLOSE);
    add(headers, ROUND, round);
    add(headers, WORKER, worker);
    return new ProducerRecord<>(topic, PARTITION, key(runId), new byte[0], headers);
  }

  /**
   * Reads a record of the sync topic.
   *
   * @throws IllegalArgumentException when it is not a sync record of this format, saying why
   */
  public static SyncRecord read(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      throw new IllegalArgumentException("a sync record has the run id as its key; this has none");
    }
    String runId = new String(record.key(), StandardCharsets.UTF_8);
    Headers headers = record.headers();
    String kind = text(headers, KIND);
    long round = number(headers, ROUND);
    int worker = (int) number(headers, WORKER);
    if (round < 1 || worker < 0) {
      throw new IllegalArgumentException("round " + round + ", worker " + worker + " do not exist");
    }
    if (CLOSE.equals(kind)) {
      return new SyncRecord.RoundClose(runId, round, worker);
    }
    if (!PSEUDO_GRADIENT.equals(kind)) {
      throw new IllegalArgumentException("unknown kind of sync record '" + kind + "'");
    }
    PseudoGradientEncoding encoding = PseudoGradientEncoding.of(text(headers, ENCODING));
    int chunk = (int) number(headers, CHUNK);
    int chunks = (int) number(headers, CHUNKS);
    int first = (int) number(headers, FIRST_VALUE);
    int total = (int) number(headers, TOTAL_VALUES);
    float[] values = encoding.decode(record.value() == null ? new byte[0] : record.value());
    int count = values.length;
    if (chunk < 0 || chunk >= chunks || first < 0 || (long) first + count > total) {
      throw new IllegalArgumentException(
          String.format(
              "chunk %d of %d holds %d values from value %d of %d: not a slice of them",
              chunk, chunks, count, first, total));
    }
    return new SyncRecord.PseudoGradientChunk(
        runId, round, worker, number(headers, ATTEMPT), chunk, chunks, first, total, values);
  }

  private static byte[] key(String runId) {
    return runId.getBytes(StandardCharsets.UTF_8);
  }

  private static void add(Headers headers, String name, Object value) {
    headers.add(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    if (header == null || header.value() == null) {
      throw new IllegalArgumentException("no header " + name);
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static long number(Headers headers, String name) {
    String text = text(headers, name);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("header " + name + " is not a number: '" + text + "'");
    }
  }
}
