package org.millrace.processors.clean;

import org.apache.kafka.common.errors.SerializationException;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RawDocumentJson;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.Origin;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.StrictText;

/**
 * Reads a record of docs.raw: an Avro {@link RawDocument} (single-object encoding), or a plain JSON
 * object {@code {"url": ..., "text": ...}} or {@code {"url": ..., "html": ...}} as anyone can send
 * with kcat or kafka-console-producer. Anything else is refused with the reason.
 *
 * <p>A JSON record's id is its {@code "id"} field, else the record key, else its coordinates
 * ({@code docs.raw/<partition>/<offset>}); its other fields become metadata.
 */
public final class RawRecordDecoder {

  private final AvroSerde<RawDocument> avro = AvroSerde.rawDocument();
  private final int maxBytes;

  /**
   * @param maxBytes the largest payload accepted ({@code documents.max.bytes})
   */
  public RawRecordDecoder(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  public RawDocument decode(byte[] key, byte[] value, Origin origin)
      throws DocumentRejectedException {
    if (value == null || value.length == 0) {
      throw new DocumentRejectedException(RejectReason.EMPTY_PAYLOAD, "the record has no value");
    }
    if (value.length > maxBytes) {
      throw new DocumentRejectedException(
          RejectReason.TOO_LARGE,
          "payload of " + value.length + " bytes exceeds documents.max.bytes = " + maxBytes);
    }
    if (AvroSerde.hasMarker(value)) {
      try {
        return avro.decode(value);
      } catch (SerializationException e) {
        throw new DocumentRejectedException(RejectReason.MALFORMED_AVRO, e.getMessage());
      }
    }
    if (BinaryBytes.looksBinary(value)) {
      throw new DocumentRejectedException(
          RejectReason.BINARY_PAYLOAD,
          "binary data: neither an Avro RawDocument (marker C3 01) nor a JSON object; first bytes "
              + BinaryBytes.firstBytes(value));
    }
    String text = StrictText.utf8(value);
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("\uFEFF")) {
      trimmed = trimmed.substring(1).stripLeading();
    }
    if (!trimmed.startsWith("{")) {
      throw new DocumentRejectedException(
          RejectReason.NOT_A_DOCUMENT,
          "docs.raw takes an Avro RawDocument or a JSON object such as {\"url\": ..., \"text\":"
              + " ...}; this record starts with "
              + quote(trimmed));
    }
    return RawDocumentJson.parse(trimmed, idOf(key, origin), "kafka:" + origin.coordinates());
  }

  /** The id of a JSON record without an "id" field: its key, else its coordinates. */
  private static String idOf(byte[] key, Origin origin) {
    if (key != null && key.length > 0) {
      try {
        return StrictText.utf8(key);
      } catch (DocumentRejectedException notText) {
        // a binary key names nothing a person could look up; use the coordinates
      }
    }
    return origin.coordinates();
  }

  private static String quote(String text) {
    String start = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return "\"" + start.replace("\n", "\\n") + "\"";
  }
}
