package org.millrace.producers.feed;

import java.util.List;
import java.util.TreeSet;

/**
 * Which records of one input file Kafka has acknowledged, by their number in the file: every record
 * below a watermark, and the few above it that were acknowledged out of order (the partitions of
 * docs.raw answer independently) or after one that failed. Updated from the producer's callback
 * thread, read by the feeder's thread.
 */
final class AcknowledgedRecords {

  private long below;
  private final TreeSet<Long> above = new TreeSet<>();

  AcknowledgedRecords(long below, List<Long> above) {
    this.below = below;
    this.above.addAll(above);
  }

  synchronized void acknowledge(long record) {
    if (record < below) {
      return;
    }
    above.add(record);
    while (above.remove(below)) {
      below++;
    }
  }

  synchronized boolean contains(long record) {
    return record < below || above.contains(record);
  }

  /** Every record below this one is acknowledged. */
  synchronized long watermark() {
    return below;
  }

  synchronized List<Long> aboveWatermark() {
    return List.copyOf(above);
  }
}
