package org.millrace.trainer.diloco;

/**
 * IEEE 754 binary16 ("fp16") conversions, for Java 17, which has none (Java 20's {@code
 * Float.floatToFloat16} computes the same): a float rounds to the nearest half, ties to even;
 * beyond the largest half (65504) it becomes infinite, below half the smallest subnormal (2^-24)
 * zero.
 */
final class HalfPrecision {

  private HalfPrecision() {}

  /** The binary16 bits nearest to {@code value}. */
  static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) { // infinity, or NaN (kept a NaN)
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) { // a half subnormal, or zero: value = m·2^-24
      if (halfExponent < -10) {
        return (short) sign;
      }
      return (short) (sign | roundShift(mantissa | 0x800000, 14 - halfExponent));
    }
    // a carry out of the mantissa rounds into the exponent, up to infinity: still the nearest
    return (short) (sign | roundShift((halfExponent << 23) | mantissa, 13));
  }

  /** The float of binary16 bits: exact, every half is a float. */
  static float toFloat(short half) {
    int sign = (half & 0x8000) << 16;
    int exponent = (half >>> 10) & 0x1f;
    int mantissa = half & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float subnormal = mantissa * 0x1p-24f;
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** {@code bits >> shift}, rounded to the nearest, ties to even. */
  private static int roundShift(int bits, int shift) {
    int kept = bits >>> shift;
    int rest = bits & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (kept & 1) != 0)) {
      kept++;
    }
    return kept;
  }
}
