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
}
