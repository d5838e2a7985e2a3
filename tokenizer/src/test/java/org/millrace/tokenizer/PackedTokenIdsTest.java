package org.millrace.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PackedTokenIdsTest {

  @Test
  void sixteenBitIdsTakeTwoBytesEachLittleEndian() {
    int[] ids = {0, 1, 256, 65535};

    byte[] packed = PackedTokenIds.pack(ids, 0, ids.length, 2);

    assertThat(packed).hasSize(8).startsWith(0, 0, 1, 0, 0, 1);
    assertThat(PackedTokenIds.unpack(ByteBuffer.wrap(packed), 2)).containsExactly(ids);
  }

  @Test
  void largeVocabulariesTakeFourBytes() {
    int[] ids = {70_000, 3, 128_255};

    assertThat(PackedTokenIds.widthFor(258)).isEqualTo(2);
    assertThat(PackedTokenIds.widthFor(65_536)).isEqualTo(2);
    assertThat(PackedTokenIds.widthFor(128_256)).isEqualTo(4);
    assertThat(PackedTokenIds.unpack(ByteBuffer.wrap(PackedTokenIds.pack(ids, 0, 3, 4)), 4))
        .containsExactly(ids);
  }

  @Test
  void aSliceOfTheIdsCanBePacked() {
    int[] ids = {5, 6, 7, 8};

    assertThat(PackedTokenIds.unpack(ByteBuffer.wrap(PackedTokenIds.pack(ids, 1, 3, 2)), 2))
        .containsExactly(6, 7);
  }

  @Test
  void refusesWhatDoesNotFit() {
    assertThatThrownBy(() -> PackedTokenIds.pack(new int[] {65_536}, 0, 1, 2))
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> PackedTokenIds.unpack(ByteBuffer.wrap(new byte[3]), 2))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> PackedTokenIds.unpack(ByteBuffer.wrap(new byte[4]), 3))
        .hasMessageContaining("2 or 4");
  }
}
