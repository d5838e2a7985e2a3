package org.millrace.trainer.diloco;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * How a pseudo-gradient's values travel in the sync topic, little-endian: fp32 as they are, or
 * fp16, half the bytes (OpenDiLoCo exchanges fp16 pseudo-gradients; Jaghouar et al. 2024,
 * arXiv:2407.07852). Every worker, the sender included, averages the values as read back from the
 * log, so the rounding is the same for all and the global parameters stay identical.
 */
public enum PseudoGradientEncoding {
  FP32("fp32", 4),
  FP16("fp16", 2);

  private final String id;
  private final int bytesPerValue;

  PseudoGradientEncoding(String id, int bytesPerValue) {
    this.id = id;
    this.bytesPerValue = bytesPerValue;
  }

  /** The encoding named {@code id} (fp32, fp16). */
  public static PseudoGradientEncoding of(String id) {
    return Arrays.stream(values())
        .filter(encoding -> encoding.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown pseudo-gradient encoding '" + id + "'; known: fp32, fp16"));
  }

  public String id() {
    return id;
  }

  public int bytesPerValue() {
    return bytesPerValue;
  }

  /** {@code count} values from {@code first}, encoded. */
  byte[] encode(float[] values, int first, int count) {
    ByteBuffer buffer = ByteBuffer.allocate(bytesPerValue * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = first; i < first + count; i++) {
      if (this == FP32) {
        buffer.putFloat(values[i]);
      } else {
        buffer.putShort(HalfPrecision.fromFloat(values[i]));
      }
    }
    return buffer.array();
  }

  /**
   * The values of {@code bytes}.
   *
   * @throws IllegalArgumentException when they are not a whole number of values
   */
  float[] decode(byte[] bytes) {
    if (bytes.length % bytesPerValue != 0) {
      throw new IllegalArgumentException(
          bytes.length + " bytes are not a whole number of " + id + " values");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.length / bytesPerValue];
    for (int i = 0; i < values.length; i++) {
      values[i] = this == FP32 ? buffer.getFloat() : HalfPrecision.toFloat(buffer.getShort());
    }
    return values;
  }
}
