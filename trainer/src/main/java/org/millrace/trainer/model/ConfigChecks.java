package org.millrace.trainer.model;

/** The checks that every model configuration makes of its sizes, with the same messages. */
final class ConfigChecks {

  private ConfigChecks() {}

  /** Throws unless {@code value} is positive, naming the field. */
  static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** Throws unless {@code divisor} divides {@code value}, naming both fields. */
  static void requireDivisible(String name, int value, String divisorName, int divisor) {
    if (value % divisor != 0) {
      throw new IllegalArgumentException(
          name + " (" + value + ") must be divisible by " + divisorName + " (" + divisor + ")");
    }
  }

  /** The sizes every model has: vocabulary, context, blocks and width, all positive. */
  static void requireStack(int vocabSize, int blockSize, int layers, int embeddingDim) {
    requirePositive("vocabSize", vocabSize);
    requirePositive("blockSize", blockSize);
    requirePositive("layers", layers);
    requirePositive("embeddingDim", embeddingDim);
  }

  /**
   * What rotary embeddings need ({@link RotaryEmbedding}): heads of an even width, to rotate
   * channels in pairs, and a base of the frequencies above 1.
   */
  static void requireRotary(int headDim, double ropeTheta) {
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException(
          "rotary embeddings need an even head width, got " + headDim);
    }
    if (!(ropeTheta > 1)) {
      throw new IllegalArgumentException("ropeTheta must be above 1, was " + ropeTheta);
    }
  }
}
