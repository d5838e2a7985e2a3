package org.millrace.trainer.stream;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Exactly where the trainer is in the token stream: for each partition the offset of the next
 * record to read, the partition whose turn it is in the round-robin, and the tokens already read but
 * not yet trained on. Saved in every checkpoint; restoring it trains every token record once, none
 * skipped, none repeated, in the same order.
 *
 * @param nextOffsets the next offset to read, per partition (absent: from the partition's start)
 * @param nextPartition the partition that gives the next record (an index in partition order)
 * @param pendingTokens tokens read and packed but not yet trained on
 */
public record TokenStreamPosition(
    Map<TopicPartition, Long> nextOffsets, int nextPartition, int[] pendingTokens) {

  public TokenStreamPosition {
    Map<TopicPartition, Long> sorted =
        new TreeMap<>(
            Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
    sorted.putAll(nextOffsets);
    nextOffsets = Collections.unmodifiableMap(sorted);
    pendingTokens = pendingTokens.clone();
  }

  public static TokenStreamPosition start() {
    return new TokenStreamPosition(Map.of(), 0, new int[0]);
  }

  @Override
  public int[] pendingTokens() {
    return pendingTokens.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TokenStreamPosition that
        && nextOffsets.equals(that.nextOffsets)
        && nextPartition == that.nextPartition
        && Arrays.equals(pendingTokens, that.pendingTokens);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * nextOffsets.hashCode() + nextPartition) + Arrays.hashCode(pendingTokens);
  }

  @Override
  public String toString() {
    return "TokenStreamPosition"
        + nextOffsets
        + ", next from partition "
        + nextPartition
        + ", "
        + pendingTokens.length
        + " pending tokens";
  }
}
