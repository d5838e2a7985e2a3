package org.millrace.trainer.stream;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions of the token topic one of K trainers reads: worker I of K reads every partition p
 * with {@code p mod K == I}. Fixed by K and I alone, so that a restarted worker reads the same
 * partitions and no partition is read by two workers or by none.
 *
 * @param workers K
 * @param worker I, 0 to K − 1
 */
public record PartitionShare(int workers, int worker) {

  /** The whole topic, for a single trainer. */
  public static final PartitionShare ALL = new PartitionShare(1, 0);

  public PartitionShare {
    if (workers < 1 || worker < 0 || worker >= workers) {
      throw new IllegalArgumentException("worker " + worker + " of " + workers + " does not exist");
    }
  }

  /**
   * This worker's partitions out of {@code all} (sorted by partition number).
   *
   * @throws IllegalArgumentException when there are fewer partitions than workers: some worker
   *     would have nothing to train on
   */
  public List<TopicPartition> of(List<TopicPartition> all) {
    if (workers > all.size()) {
      throw new IllegalArgumentException(
          workers
              + " workers cannot share "
              + all.size()
              + " partitions of "
              + all.get(0).topic()
              + ": each worker reads whole partitions, so use at most "
              + all.size()
              + " workers, or create the topic with more partitions (topics.partitions)");
    }
    return all.stream().filter(partition -> partition.partition() % workers == worker).toList();
  }
}
