package org.millrace.producers.feed;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.millrace.runtime.reject.DocumentRejectedException;
import org.millrace.runtime.reject.RejectReason;
import org.millrace.schemas.RawDocument;

/**
 * One line of a JSONL file as a {@link RawDocument}: the {@code text} (or {@code html}) field is the
 * body, {@code url} and {@code id} are used when present, every other field is kept as metadata.
 */
final class JsonlLine {

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonlLine() {}

  static RawDocument parse(byte[] line, String defaultId, String source) throws DocumentRejectedException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DocumentRejectedException(RejectReason.INVALID_UTF8, "the line is not valid UTF-8");
    }
    JsonNode object;
    try {
      object = JSON.readTree(text);
    } catch (JacksonException e) {
      throw new DocumentRejectedException(RejectReason.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage());
    }
    if (object == null || !object.isObject()) {
      throw new DocumentRejectedException(RejectReason.NOT_A_DOCUMENT, "a JSONL line must be a JSON object");
    }
    JsonNode html = object.get("html");
    JsonNode body = html != null && html.isTextual() ? html : object.get("text");
    if (body == null || !body.isTextual()) {
      throw new DocumentRejectedException(RejectReason.NOT_A_DOCUMENT, "a JSONL line needs a string field 'text' or 'html'");
    }
    Map<String, String> metadata = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (!name.equals("text") && !name.equals("html") && !name.equals("url") && !name.equals("id")) {
        metadata.put(name, field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString());
      }
    }
    JsonNode id = object.get("id");
    JsonNode url = object.get("url");
    return RawDocument.newBuilder()
        .setId(id != null && id.isValueNode() && !id.asText().isBlank() ? id.asText() : defaultId)
        .setUrl(url != null && url.isTextual() ? url.asText() : null)
        .setSource(source)
        .setContentType((body == html ? "text/html" : "text/plain") + "; charset=UTF-8")
        .setBody(ByteBuffer.wrap(body.asText().getBytes(StandardCharsets.UTF_8)))
        .setMetadata(metadata)
        .build();
  }
}
