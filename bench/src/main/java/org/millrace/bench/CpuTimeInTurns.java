package org.millrace.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * CPU time per operation of several contenders on a busy machine: this thread's CPU time, so that
 * other processes do not count, and measured in turns, every round running each contender over all
 * its operations one after the other, so that a change of load (caches, memory bandwidth,
 * frequency) falls on all of them alike. The first round warms up and is not counted. JMH's
 * wall-clock figures moved fourfold between iterations on a machine shared with other builds; these
 * are what {@code millrace bench langid} compares by.
 */
final class CpuTimeInTurns {

  private CpuTimeInTurns() {}

  /**
   * @param contenders by name, the work of operation {@code i}, for {@code i} from 0 to {@code
   *     operations - 1}
   * @return the CPU milliseconds per operation of each contender, in the order given
   */
  static Map<String, Double> msPerOperation(
      Map<String, IntConsumer> contenders, int operations, int rounds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Double> nanos = new LinkedHashMap<>();
    contenders.keySet().forEach(name -> nanos.put(name, 0.0));
    for (int round = 0; round <= rounds; round++) {
      for (Map.Entry<String, IntConsumer> contender : contenders.entrySet()) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < operations; i++) {
          contender.getValue().accept(i);
        }
        if (round > 0) {
          nanos.merge(
              contender.getKey(), (double) threads.getCurrentThreadCpuTime() - start, Double::sum);
        }
      }
    }
    Map<String, Double> ms = new LinkedHashMap<>();
    nanos.forEach((name, total) -> ms.put(name, total / 1e6 / rounds / operations));
    return ms;
  }
}
