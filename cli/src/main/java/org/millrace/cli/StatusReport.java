package org.millrace.cli;

import java.util.List;

/**
 * What {@code millrace status} reports; {@code status --json} prints it as one JSON object whose
 * fields are these (docs/status.md documents them).
 */
record StatusReport(
    String bootstrapServers, List<Stage> stages, List<Topic> topics, Trainer trainer) {

  /**
   * A stage's consumer group on its input topic.
   *
   * @param state the group's state as the broker reports it (Stable, Empty, ...), or NotStarted
   *     when the group does not exist
   * @param committedOffsets the group's committed offsets on its input, summed over partitions: how
   *     far it has read (offsets count records and, in topics written exactly-once, one transaction
   *     marker per commit and partition)
   * @param lag offsets of the input beyond the committed ones, summed over partitions
   */
  record Stage(
      String stage,
      String group,
      String state,
      int members,
      String inputTopic,
      long committedOffsets,
      long lag,
      List<PartitionLag> partitions) {}

  /** One partition of a stage's input: committed offset (null when none yet), end offset, lag. */
  record PartitionLag(int partition, Long committed, long end, long lag) {}

  /**
   * A topic and its end offsets summed over partitions (records written, transaction markers
   * included).
   */
  record Topic(String topic, int partitions, long endOffsets) {}

  /**
   * The latest progress the trainer published, the loss of its first step, and its latest validation
   * loss with the step it was measured at (null before the first evaluation).
   */
  record Trainer(
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
      String updatedAt) {}
}
