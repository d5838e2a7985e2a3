package org.millrace.processors.clean;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.millrace.processors.Origin;
import org.millrace.runtime.reject.DocumentRejectedException;
import org.millrace.runtime.reject.RejectReason;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;

/**
 * Reads a record of docs.raw: an Avro {@link RawDocument} (single-object encoding), or a plain JSON
 * object {@code {"url": ..., "text": ...}} or {@code {"url": ..., "html": ...}} as anyone can send with
 * kcat or kafka-console-producer. Anything else is refused with the reason.
 *
 * <p>A JSON record's id is its {@code "id"} field, else the record key, else its coordinates
 * ({@code docs.raw/<partition>/<offset>}); its other fields become metadata.
 */
public final class RawRecordDecoder {

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** Share of control bytes in a payload's first kilobyte above which it is binary, not text. */
  private static final double BINARY_CONTROL_SHARE = 0.10;

  private final AvroSerde<RawDocument> avro = AvroSerde.rawDocument();
  private final int maxBytes;

  /** @param maxBytes the largest payload accepted ({@code documents.max.bytes}) */
  public RawRecordDecoder(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  public RawDocument decode(byte[] key, byte[] value, Origin origin) throws DocumentRejectedException {
    if (value == null || value.length == 0) {
      throw new DocumentRejectedException(RejectReason.EMPTY_PAYLOAD, "the record has no value");
    }
    if (value.length > maxBytes) {
      throw new DocumentRejectedException(RejectReason.TOO_LARGE,
          "payload of " + value.length + " bytes exceeds documents.max.bytes = " + maxBytes);
    }
    if (AvroSerde.hasMarker(value)) {
      try {
        return avro.decode(value);
      } catch (SerializationException e) {
        throw new DocumentRejectedException(RejectReason.MALFORMED_AVRO, e.getMessage());
      }
    }
    if (looksBinary(value)) {
      throw new DocumentRejectedException(RejectReason.BINARY_PAYLOAD,
          "binary data: neither an Avro RawDocument (marker C3 01) nor a JSON object; first bytes " + firstBytes(value));
    }
    String text = strictUtf8(value);
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("\uFEFF")) {
      trimmed = trimmed.substring(1).stripLeading();
    }
    if (!trimmed.startsWith("{")) {
      throw new DocumentRejectedException(RejectReason.NOT_A_DOCUMENT,
          "docs.raw takes an Avro RawDocument or a JSON object such as {\"url\": ..., \"text\": ...}; this record starts with "
              + quote(trimmed));
    }
    return fromJson(trimmed, key, origin, value.length);
  }

  private RawDocument fromJson(String json, byte[] key, Origin origin, int size) throws DocumentRejectedException {
    JsonNode object;
    try {
      object = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new DocumentRejectedException(RejectReason.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
    }
    JsonNode html = object.get("html");
    JsonNode text = object.get("text");
    String contentType;
    JsonNode body;
    if (html != null && html.isTextual()) {
      contentType = "text/html";
      body = html;
    } else if (text != null && text.isTextual()) {
      contentType = "text/plain";
      body = text;
    } else {
      String found = html != null ? "an 'html' field of type " + html.getNodeType().name().toLowerCase()
          : text != null ? "a 'text' field of type " + text.getNodeType().name().toLowerCase()
          : "neither";
      throw new DocumentRejectedException(RejectReason.NOT_A_DOCUMENT,
          "a JSON document needs a string field 'text' or 'html'; this object has " + found);
    }

    Map<String, String> metadata = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getKey().equals("text") && !field.getKey().equals("html") && !field.getKey().equals("url") && !field.getKey().equals("id")) {
        metadata.put(field.getKey(), field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString());
      }
    }
    JsonNode url = object.get("url");
    return RawDocument.newBuilder()
        .setId(idOf(object.get("id"), key, origin))
        .setUrl(url != null && url.isTextual() ? url.asText() : null)
        .setSource("kafka:" + origin.coordinates())
        .setContentType(contentType + "; charset=UTF-8")
        .setBody(ByteBuffer.wrap(body.asText().getBytes(StandardCharsets.UTF_8)))
        .setMetadata(metadata)
        .build();
  }

  private static String idOf(JsonNode id, byte[] key, Origin origin) {
    if (id != null && id.isValueNode() && !id.asText().isBlank()) {
      return id.asText();
    }
    if (key != null && key.length > 0) {
      try {
        return strictUtf8(key);
      } catch (DocumentRejectedException notText) {
        // a binary key names nothing a person could look up; use the coordinates
      }
    }
    return origin.coordinates();
  }

  private static boolean looksBinary(byte[] value) {
    int sample = Math.min(value.length, 1024);
    int control = 0;
    for (int i = 0; i < sample; i++) {
      int b = value[i] & 0xFF;
      if (b == 0) {
        return true;
      }
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
        control++;
      }
    }
    return control > sample * BINARY_CONTROL_SHARE;
  }

  static String strictUtf8(byte[] bytes) throws DocumentRejectedException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer input = ByteBuffer.wrap(bytes);
    try {
      CharBuffer chars = decoder.decode(input);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new DocumentRejectedException(RejectReason.INVALID_UTF8,
          "not valid UTF-8: bad byte sequence near offset " + input.position() + " of " + bytes.length);
    }
  }

  private static String firstBytes(byte[] value) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(8, value.length); i++) {
      hex.append(String.format("%02X ", value[i] & 0xFF));
    }
    return hex.toString().strip();
  }

  private static String quote(String text) {
    String start = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return "\"" + start.replace("\n", "\\n") + "\"";
  }
}
