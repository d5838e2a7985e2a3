package org.millrace.bench;

import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How every JMH measurement of the bench commands runs: one fork, one thread (the figures are per
 * core), and measured iterations of one second each.
 */
final class JmhOptions {

  private JmhOptions() {}

  /**
   * The benchmark's methods, after {@code warmupIterations} untimed iterations of {@code
   * warmupSeconds} each, measured over {@code iterations} seconds; the caller adds parameters and
   * JVM arguments, then builds.
   */
  static ChainedOptionsBuilder of(
      Class<?> benchmark, int warmupIterations, int warmupSeconds, int iterations) {
    return new OptionsBuilder()
        .include(benchmark.getName())
        .forks(1)
        .threads(1)
        .warmupIterations(warmupIterations)
        .warmupTime(TimeValue.seconds(warmupSeconds))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(1));
  }
}
