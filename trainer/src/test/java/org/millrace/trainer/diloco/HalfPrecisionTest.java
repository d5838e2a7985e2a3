package org.millrace.trainer.diloco;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfPrecisionTest {

  @Test
  void everyHalfIsAFloatThatConvertsBackToItself() {
    for (int bits = 0; bits < 1 << 16; bits++) {
      float value = HalfPrecision.toFloat((short) bits);
      if (Float.isNaN(value)) {
        assertThat(Float.isNaN(HalfPrecision.toFloat(HalfPrecision.fromFloat(value)))).isTrue();
      } else {
        assertThat(HalfPrecision.fromFloat(value) & 0xffff).as("half %04x", bits).isEqualTo(bits);
      }
    }
  }

  @Test
  void aFloatRoundsToTheNearestHalfTiesToEven() {
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(1f))).isEqualTo(1f);
    // halves near 1 are 2^-10 apart: 1 + 2^-11 is a tie, rounded to the even 1; 1 + 3·2^-11 to
    // the even 1 + 2^-9
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(1f + 0x1p-11f))).isEqualTo(1f);
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(1f + 3 * 0x1p-11f)))
        .isEqualTo(1f + 0x1p-9f);
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(1f + 0x1p-11f + 0x1p-20f)))
        .isEqualTo(1f + 0x1p-10f);
    // the largest half is 65504; from 65520 on, infinity
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(65519f))).isEqualTo(65504f);
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(65520f)))
        .isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(-1e6f)))
        .isEqualTo(Float.NEGATIVE_INFINITY);
    // subnormals: multiples of 2^-24; 2^-25 is a tie, rounded to the even 0
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(3 * 0x1p-24f)))
        .isEqualTo(3 * 0x1p-24f);
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(0x1p-25f))).isEqualTo(0f);
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(0x1.01p-25f))).isEqualTo(0x1p-24f);
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(-0f))).isEqualTo(-0f);
    assertThat(HalfPrecision.toFloat(HalfPrecision.fromFloat(Float.NaN))).isNaN();
  }
}
