package org.millrace.schemas;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;

/**
 * The JSON form of a {@link RawDocument}: one object with a string {@code "text"} (plain text) or
 * {@code "html"} field, and optionally {@code "url"} and {@code "id"}; every other field is kept as
 * metadata (strings as they are, anything else as JSON). It is what {@code kcat} users send to
 * docs.raw and what a line of a JSONL corpus holds.
 */
public final class RawDocumentJson {

  /**
   * Strict: trailing tokens and a key given twice are errors (RFC 8259 leaves duplicate names to
   * the parser, and parsers disagree on which one wins: a document must not mean two things).
   * Jackson's default limits (nesting depth 1,000, numbers and names of bounded length) stay on.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());

  private static final Set<String> DOCUMENT_FIELDS = Set.of("html", "url", "id");

  private RawDocumentJson() {}

  /**
   * @param defaultId the id when the object has no {@code "id"}
   * @param source where the object was read, for the document's {@code source}
   * @throws DocumentRejectedException {@code malformed_json} or {@code not_a_document}
   */
  public static RawDocument parse(String json, String defaultId, String source)
      throws DocumentRejectedException {
    return parse(json, "text", defaultId, source);
  }

  /**
   * As {@link #parse(String, String, String)}, with the plain text in {@code textField} (corpora
   * name it "content", "raw_content", ...); a {@code "text"} field is then metadata like any other.
   */
  public static RawDocument parse(String json, String textField, String defaultId, String source)
      throws DocumentRejectedException {
    JsonNode object;
    try {
      object = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new DocumentRejectedException(
          RejectReason.MALFORMED_JSON,
          "malformed JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null
                  ? ""
                  : " at line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()));
    }
    if (object == null || !object.isObject()) {
      throw new DocumentRejectedException(
          RejectReason.NOT_A_DOCUMENT,
          "a JSON document must be an object, got " + (object == null ? "nothing" : kind(object)));
    }
    JsonNode html = object.get("html");
    JsonNode text = object.get(textField);
    boolean isHtml = html != null && html.isTextual();
    if (!isHtml && (text == null || !text.isTextual())) {
      String found =
          html != null
              ? "an 'html' field of type " + kind(html)
              : text != null ? "a '" + textField + "' field of type " + kind(text) : "neither";
      throw new DocumentRejectedException(
          RejectReason.NOT_A_DOCUMENT,
          "a JSON document needs a string field '"
              + textField
              + "' or 'html'; this object has "
              + found);
    }

    JsonNode url = object.get("url");
    if (url != null && !url.isNull() && !url.isTextual()) {
      throw new DocumentRejectedException(
          RejectReason.NOT_A_DOCUMENT, "the 'url' field must be a string, not a " + kind(url));
    }

    Map<String, String> metadata = new HashMap<>();
    object
        .fields()
        .forEachRemaining(
            field -> {
              String name = field.getKey();
              if (!name.equals(textField) && !DOCUMENT_FIELDS.contains(name)) {
                JsonNode value = field.getValue();
                metadata.put(field.getKey(), value.isTextual() ? value.asText() : value.toString());
              }
            });
    JsonNode id = object.get("id");
    String body = (isHtml ? html : text).asText();
    requireWholeCharacters(isHtml ? "html" : textField, body);
    if (url != null && url.isTextual()) {
      requireWholeCharacters("url", url.asText());
    }
    for (Map.Entry<String, String> field : metadata.entrySet()) {
      requireWholeCharacters(field.getKey(), field.getValue());
    }
    return RawDocument.newBuilder()
        .setId(id != null && id.isValueNode() && !id.asText().isBlank() ? id.asText() : defaultId)
        .setUrl(url != null && url.isTextual() ? url.asText() : null)
        .setSource(source)
        .setContentType((isHtml ? "text/html" : "text/plain") + "; charset=UTF-8")
        .setBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)))
        .setMetadata(metadata)
        .build();
  }

  /**
   * JSON's {@code \\uD800} escapes can spell half of a surrogate pair, which is no character at
   * all: UTF-8 cannot encode it (Java would write '?'), so such a string is refused rather than
   * altered.
   */
  private static void requireWholeCharacters(String field, String value)
      throws DocumentRejectedException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new DocumentRejectedException(
            RejectReason.MALFORMED_JSON,
            String.format(
                "the '%s' field holds an unpaired surrogate \\u%04X at character %d: not a"
                    + " character",
                field, (int) c, i));
      }
    }
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
