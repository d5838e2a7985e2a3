package org.millrace.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro record class, in Avro single-object encoding: the marker {@code
 * C3 01}, the writer schema's 8-byte fingerprint, then the binary body. The reader resolves the
 * writer's version through {@link KnownSchemas}, so records written with an older schema are read
 * with the newer one.
 *
 * <p>Deserialising bytes that are not such a record throws {@link SerializationException}; stages
 * that read input they do not control use {@link #decode(byte[])} through their own decoder and
 * turn the failure into a rejected record instead.
 */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  /** The first two bytes of every single-object encoded record (Avro specification). */
  public static final byte[] MARKER = {(byte) 0xC3, (byte) 0x01};

  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  public AvroSerde(Schema schema) {
    this.schema = schema;
    KnownSchemas store =
        KnownSchemas.instance(); // also trusts our generated classes, before any lookup
    SpecificData model = SpecificData.getForSchema(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, store);
  }

  public static AvroSerde<RawDocument> rawDocument() {
    return new AvroSerde<>(RawDocument.getClassSchema());
  }

  public static AvroSerde<CleanDocument> cleanDocument() {
    return new AvroSerde<>(CleanDocument.getClassSchema());
  }

  public static AvroSerde<RejectedDocument> rejectedDocument() {
    return new AvroSerde<>(RejectedDocument.getClassSchema());
  }

  public static AvroSerde<DuplicateRecord> duplicateRecord() {
    return new AvroSerde<>(DuplicateRecord.getClassSchema());
  }

  public static AvroSerde<TokenizedDocument> tokenizedDocument() {
    return new AvroSerde<>(TokenizedDocument.getClassSchema());
  }

  public static AvroSerde<TrainerProgress> trainerProgress() {
    return new AvroSerde<>(TrainerProgress.getClassSchema());
  }

  public static AvroSerde<DedupQuestion> dedupQuestion() {
    return new AvroSerde<>(DedupQuestion.getClassSchema());
  }

  public static AvroSerde<DedupAnswer> dedupAnswer() {
    return new AvroSerde<>(DedupAnswer.getClassSchema());
  }

  public static AvroSerde<DedupBucket> dedupBucket() {
    return new AvroSerde<>(DedupBucket.getClassSchema());
  }

  public static AvroSerde<DedupPending> dedupPending() {
    return new AvroSerde<>(DedupPending.getClassSchema());
  }

  public static AvroSerde<DedupRaceQuestion> dedupRaceQuestion() {
    return new AvroSerde<>(DedupRaceQuestion.getClassSchema());
  }

  public static AvroSerde<DedupRaceAnswer> dedupRaceAnswer() {
    return new AvroSerde<>(DedupRaceAnswer.getClassSchema());
  }

  /** True when the bytes start with the single-object encoding marker. */
  public static boolean hasMarker(byte[] bytes) {
    return bytes != null && bytes.length >= 2 && bytes[0] == MARKER[0] && bytes[1] == MARKER[1];
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      if (buffer.hasArray()
          && buffer.arrayOffset() == 0
          && buffer.position() == 0
          && buffer.remaining() == buffer.array().length) {
        // Avro's encoder returns a copy of its own buffer, exactly sized: no need for another
        return buffer.array();
      }
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | AvroRuntimeException e) {
      throw new SerializationException(
          "cannot encode " + schema.getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decodes a single-object encoded record.
   *
   * @throws SerializationException when the bytes are not a record of a known version of this
   *     schema
   */
  public T decode(byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException e) {
      throw new SerializationException(
          "not a valid " + schema.getName() + " record: " + describe(e), e);
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public byte[] serialize(String topic, T record) {
    return record == null ? null : encode(record);
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    return bytes == null ? null : decode(bytes);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
