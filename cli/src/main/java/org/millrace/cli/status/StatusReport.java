package org.millrace.cli.status;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code millrace status} reports; {@code status --json} prints it as one JSON object whose
 * fields are these (docs/status.md documents them).
 */
public record StatusReport(
    String bootstrapServers,
    long readAtMillis,
    List<Stage> stages,
    List<Topic> topics,
    Trainer trainer) {

  /** This report with its stages replaced (by {@link StatusWindow}, which judges them). */
  public StatusReport withStages(List<Stage> judged) {
    return new StatusReport(bootstrapServers, readAtMillis, judged, topics, trainer);
  }

  /**
   * A stage's consumer group on its input topic.
   *
   * @param state the group's state as the broker reports it (Stable, Empty, ...), or NotStarted
   *     when the group does not exist
   * @param committedOffsets the group's committed offsets on its input, summed over partitions: how
   *     far it has read (offsets count records and, in topics written exactly-once, one transaction
   *     marker per commit and partition)
   * @param readOffsets where the stage has read to, summed over partitions: the committed offsets,
   *     or for the trainer, which commits only at checkpoints, the position its latest progress
   *     reports
   * @param lag offsets of the input beyond those read, summed over partitions: records not yet read
   *     (and commit markers); the verdicts judge this
   * @param internalLag records in the stage's own internal (repartition) topics that it has not
   *     read back yet, summed over partitions: documents between two of its steps, such as dedup's
   *     questions and answers; a stage has drained only when this is 0 too (0 for the trainer)
   * @param lagSeconds the age of the oldest record the group has not read (0 without lag)
   * @param unsavedRecords for the trainer, records read but not yet in a checkpoint (its committed
   *     offsets): what a crash now would make it read again; null for the Streams stages, which
   *     commit what they read
   * @param verdict OK, WARN, STALLED or STOPPED ({@link StatusWindow}); null before it is judged
   * @param offsetsPerSecond how fast the committed offsets moved over the window; null before
   * @param drainSeconds the time to consume the lag at that rate (for the trainer: at its
   *     tokens/s); null when there is no lag or no rate
   */
  public record Stage(
      String stage,
      String group,
      String state,
      int members,
      String inputTopic,
      long committedOffsets,
      long readOffsets,
      long lag,
      long internalLag,
      double lagSeconds,
      Long unsavedRecords,
      String verdict,
      Double offsetsPerSecond,
      Double drainSeconds,
      List<PartitionLag> partitions) {

    Stage judged(String verdict, Double offsetsPerSecond, Double drainSeconds) {
      return new Stage(
          stage,
          group,
          state,
          members,
          inputTopic,
          committedOffsets,
          readOffsets,
          lag,
          internalLag,
          lagSeconds,
          unsavedRecords,
          verdict,
          offsetsPerSecond,
          drainSeconds,
          partitions);
    }
  }

  /**
   * One partition of a stage's input: committed offset (null when none yet), the position read to
   * (the committed offset, or the trainer's reported position), end offset, lag in offsets (end
   * minus position) and in seconds (the age of its oldest unread record).
   */
  public record PartitionLag(
      int partition, Long committed, long position, long end, long lag, double lagSeconds) {}

  /**
   * A topic and its end offsets summed over partitions (records written, transaction markers
   * included).
   */
  public record Topic(String topic, int partitions, long endOffsets) {}

  /**
   * The latest progress the trainer published, the loss of its first step, and its latest
   * validation loss with the step it was measured at (null before the first evaluation).
   */
  public record Trainer(
      String runId,
      long step,
      float firstLoss,
      float latestLoss,
      Float validationLoss,
      Long validationStep,
      float learningRate,
      double tokensPerSecond,
      Double modelFlopsUtilization,
      Double inputStall,
      long tokensTrained,
      Long checkpointStep,
      String updatedAt,
      @JsonIgnore Map<TopicPartition, Long> positions) {}
}
