package org.millrace.tokenizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The compact form of token ids in a token record: little-endian unsigned integers of 2 bytes when
 * every id of the vocabulary fits in 16 bits (most vocabularies: GPT-2's has 50,257), 4 bytes
 * otherwise.
 */
public final class PackedTokenIds {

  private PackedTokenIds() {}

  /** Bytes per id for a vocabulary of this size. */
  public static int widthFor(int vocabularySize) {
    return vocabularySize <= 1 << 16 ? 2 : 4;
  }

  public static byte[] pack(int[] ids, int from, int to, int width) {
    ByteBuffer buffer = ByteBuffer.allocate((to - from) * width).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < to; i++) {
      int id = ids[i];
      if (width == 2) {
        if (id < 0 || id > 0xFFFF) {
          throw new IllegalArgumentException("token id " + id + " does not fit in 2 bytes");
        }
        buffer.putShort((short) id);
      } else {
        buffer.putInt(id);
      }
    }
    return buffer.array();
  }

  public static int[] unpack(ByteBuffer packed, int width) {
    if (width != 2 && width != 4) {
      throw new IllegalArgumentException("token width must be 2 or 4 bytes, got " + width);
    }
    ByteBuffer buffer = packed.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (buffer.remaining() % width != 0) {
      throw new IllegalArgumentException(
          buffer.remaining() + " bytes is not a whole number of " + width + "-byte token ids");
    }
    int[] ids = new int[buffer.remaining() / width];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = width == 2 ? Short.toUnsignedInt(buffer.getShort()) : buffer.getInt();
    }
    return ids;
  }
}
