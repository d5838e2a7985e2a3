package org.millrace.schemas.reject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes bytes as text strictly: bytes that are not valid in the charset reject the document
 * ({@code invalid_utf8}) instead of becoming U+FFFD replacement characters in the training data.
 */
public final class StrictText {

  private StrictText() {}

  public static String utf8(byte[] bytes) throws DocumentRejectedException {
    return decode(bytes, StandardCharsets.UTF_8);
  }

  public static String decode(byte[] bytes, Charset charset) throws DocumentRejectedException {
    ByteBuffer input = ByteBuffer.wrap(bytes);
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(input)
          .toString();
    } catch (CharacterCodingException e) {
      throw new DocumentRejectedException(
          RejectReason.INVALID_UTF8,
          "not valid "
              + charset.name()
              + ": bad byte sequence near offset "
              + input.position()
              + " of "
              + bytes.length);
    }
  }
}
