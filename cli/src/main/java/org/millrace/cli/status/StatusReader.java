package org.millrace.cli.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.millrace.processors.Stage;
import org.millrace.processors.Stages;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.lag.GroupLag;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.PartitionPosition;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.TrainerSettings;

/**
 * Reads a {@link StatusReport} from the cluster: consumer group offsets, end offsets, the progress
 * topic.
 */
public final class StatusReader {

  /** How long status waits for the cluster before it says it cannot reach it. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * The state of a stage whose consumer group does not exist: it never ran against this cluster.
   */
  public static final String NOT_STARTED = "NotStarted";

  /** The trainer's row, after the Streams stages'. */
  public static final String TRAIN = "train";

  /** Progress records status reads from each end of the topic. */
  static final int PROGRESS_TAIL = 500;

  private final MillraceConfig config;
  private final Topics topics;

  public StatusReader(MillraceConfig config) {
    this.config = config;
    this.topics = Topics.of(config);
  }

  /**
   * Reads the cluster in the order that keeps the snapshot consistent: each group's committed
   * offsets first, then the trainer's progress (its read position), then the end offsets, so that
   * nothing read can be beyond an end read after it, and lag is never negative.
   *
   * @throws KafkaUnreachableException when the cluster does not answer within {@link #TIMEOUT}
   */
  public StatusReport read() throws InterruptedException {
    Properties properties = KafkaClientProperties.admin(config);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    String runId = config.getString(TrainerKeys.RUN_ID);
    try (Admin admin = Admin.create(properties);
        KafkaConsumer<byte[], byte[]> consumer = groupLessConsumer()) {
      Map<String, TopicDescription> descriptions =
          get(admin.describeTopics(topics.all()).allTopicNames());

      List<Group> groups = new ArrayList<>();
      for (Stage stage : Stages.ALL) {
        groups.add(group(admin, stage.name(), stage.applicationId(), stage.inputTopic(config)));
      }
      groups.add(group(admin, TRAIN, TrainerSettings.groupOf(runId), topics.tokens()));
      StatusReport.Trainer trainer = trainer(consumer, runId);
      Map<TopicPartition, Long> readByTrainer = trainer == null ? Map.of() : trainer.positions();
      Map<TopicPartition, Long> ends = endOffsets(admin, descriptions, groups);

      long now = System.currentTimeMillis();
      List<StatusReport.Stage> stages = new ArrayList<>();
      for (Group group : groups) {
        Map<TopicPartition, Long> read = group.stage().equals(TRAIN) ? readByTrainer : Map.of();
        stages.add(stage(group, read, consumer, descriptions, ends, now));
      }

      List<StatusReport.Topic> topicReports = new ArrayList<>();
      for (String topic : topics.all()) {
        long sum =
            ends.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(Map.Entry::getValue)
                .sum();
        topicReports.add(
            new StatusReport.Topic(topic, descriptions.get(topic).partitions().size(), sum));
      }
      return new StatusReport(config.bootstrapServers(), now, stages, topicReports, trainer);
    }
  }

  /** A stage's consumer group as read before the end offsets: its state and committed offsets. */
  private record Group(
      String stage,
      String group,
      String inputTopic,
      ConsumerGroupDescription description,
      Map<TopicPartition, OffsetAndMetadata> committed) {

    /**
     * The partitions of the stage's own internal topics it has committed on: Kafka Streams names
     * them after the application id, which is the group.
     */
    List<TopicPartition> internal() {
      return committed.entrySet().stream()
          .filter(e -> e.getValue() != null && e.getKey().topic().startsWith(group + "-"))
          .map(Map.Entry::getKey)
          .toList();
    }

    /** Records in the internal topics beyond what the stage committed: not yet read back. */
    long internalLag(Map<TopicPartition, Long> ends) {
      long lag = 0;
      for (TopicPartition partition : internal()) {
        long end = ends.getOrDefault(partition, 0L);
        lag += Math.max(0, end - committed.get(partition).offset());
      }
      return lag;
    }
  }

  private Group group(Admin admin, String stage, String group, String inputTopic)
      throws InterruptedException {
    ConsumerGroupDescription description =
        unlessNoSuchGroup(
            admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
    Map<TopicPartition, OffsetAndMetadata> committed =
        description == null
            ? Map.of()
            : get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    return new Group(stage, group, inputTopic, description, committed);
  }

  /** A consumer that joins no group and commits nothing: it reads timestamps and progress. */
  private KafkaConsumer<byte[], byte[]> groupLessConsumer() {
    Properties properties = KafkaClientProperties.groupLessConsumer(config, "millrace-status");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    return new KafkaConsumer<>(properties);
  }

  /**
   * The end offsets of every Millrace topic and of the stages' internal topics they committed on.
   */
  private Map<TopicPartition, Long> endOffsets(
      Admin admin, Map<String, TopicDescription> descriptions, List<Group> groups)
      throws InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (Group group : groups) {
      group.internal().forEach(partition -> request.put(partition, OffsetSpec.latest()));
    }
    descriptions.forEach(
        (name, description) ->
            description
                .partitions()
                .forEach(
                    partition ->
                        request.put(
                            new TopicPartition(name, partition.partition()), OffsetSpec.latest())));
    // read_committed: the end is the last stable offset, so an open transaction is not counted as
    // lag
    Map<TopicPartition, ListOffsetsResultInfo> offsets =
        get(
            admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all());
    Map<TopicPartition, Long> ends = new HashMap<>();
    offsets.forEach((partition, info) -> ends.put(partition, info.offset()));
    return ends;
  }

  private StatusReport.Stage stage(
      Group group,
      Map<TopicPartition, Long> read,
      KafkaConsumer<byte[], byte[]> consumer,
      Map<String, TopicDescription> descriptions,
      Map<TopicPartition, Long> ends,
      long now) {
    GroupLag lag =
        GroupLag.of(
            group.group(),
            group.inputTopic(),
            descriptions.get(group.inputTopic()).partitions().size(),
            ends,
            group.committed(),
            read,
            consumer,
            TIMEOUT);
    List<StatusReport.PartitionLag> partitions = new ArrayList<>();
    long committedOffsets = 0;
    long readOffsets = 0;
    for (GroupLag.PartitionLag partition : lag.partitions()) {
      partitions.add(
          new StatusReport.PartitionLag(
              partition.partition(),
              partition.committed(),
              partition.position(),
              partition.end(),
              partition.lag(),
              partition.lagSeconds(now)));
      committedOffsets += partition.committed() == null ? 0 : partition.committed();
      readOffsets += partition.position();
    }
    ConsumerGroupDescription description = group.description();
    return new StatusReport.Stage(
        group.stage(),
        group.group(),
        description == null ? NOT_STARTED : description.groupState().toString(),
        description == null ? 0 : description.members().size(),
        group.inputTopic(),
        committedOffsets,
        readOffsets,
        lag.totalLag(),
        group.internalLag(ends),
        lag.maxLagSeconds(now),
        group.stage().equals(TRAIN) ? lag.totalUncommitted() : null,
        null,
        null,
        null,
        partitions);
  }

  /**
   * The latest progress of the configured run (or of the latest run, if the configured one never
   * reported), read from the last {@value #PROGRESS_TAIL} records of the progress topic, and the
   * loss of the run's first step from the first records: status reads a bounded amount whatever the
   * length of the run's history.
   */
  private StatusReport.Trainer trainer(KafkaConsumer<byte[], byte[]> consumer, String runId) {
    TopicPartition progress = new TopicPartition(topics.progress(), 0);
    consumer.assign(List.of(progress));
    long start = consumer.beginningOffsets(List.of(progress), TIMEOUT).get(progress);
    long end = consumer.endOffsets(List.of(progress), TIMEOUT).get(progress);
    if (end <= start) {
      return null;
    }
    Map<String, TrainerProgress> latest = new HashMap<>();
    Map<String, TrainerProgress> latestEvaluated = new HashMap<>();
    String latestRun = null;
    for (TrainerProgress update :
        readProgress(consumer, progress, Math.max(start, end - PROGRESS_TAIL), end)) {
      latest.put(update.getRunId(), update);
      if (update.getValidationLoss() != null) {
        latestEvaluated.put(update.getRunId(), update);
      }
      latestRun = update.getRunId();
    }
    String run = latest.containsKey(runId) ? runId : latestRun;
    if (run == null) {
      return null;
    }
    TrainerProgress first = latest.get(run);
    for (TrainerProgress update :
        readProgress(consumer, progress, start, Math.min(end, start + PROGRESS_TAIL))) {
      if (update.getRunId().equals(run)) {
        first = update;
        break;
      }
    }
    TrainerProgress last = latest.get(run);
    TrainerProgress evaluated = latestEvaluated.get(run);
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (PartitionPosition position : last.getPositions()) {
      positions.put(
          new TopicPartition(position.getTopic(), position.getPartition()),
          position.getNextOffset());
    }
    return new StatusReport.Trainer(
        run,
        last.getStep(),
        first.getLoss(),
        last.getLoss(),
        evaluated == null ? null : evaluated.getValidationLoss(),
        evaluated == null ? null : evaluated.getStep(),
        last.getLearningRate(),
        last.getTokensPerSecond(),
        last.getModelFlopsUtilization(),
        last.getInputStall(),
        last.getTokensTrained(),
        last.getCheckpointStep(),
        last.getTimestamp().toString(),
        positions);
  }

  /** The progress records from offset {@code from} to {@code to}, as far as they can be read. */
  private List<TrainerProgress> readProgress(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition progress, long from, long to) {
    AvroSerde<TrainerProgress> serde = AvroSerde.trainerProgress();
    List<TrainerProgress> updates = new ArrayList<>();
    consumer.seek(progress, from);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (consumer.position(progress, TIMEOUT) < to && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        if (record.offset() >= to) {
          break;
        }
        try {
          updates.add(serde.decode(record.value()));
        } catch (RuntimeException unreadable) {
          // not ours to judge here; the trainer alone writes this topic
        }
      }
    }
    return updates;
  }

  private <T> T get(KafkaFuture<T> future) throws InterruptedException {
    try {
      return future.get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new KafkaUnreachableException(config.bootstrapServers(), cause);
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new KafkaUnreachableException(config.bootstrapServers(), e);
    }
  }

  /**
   * The answer about a consumer group, or null when the group does not exist: its stage never ran.
   */
  private <T> T unlessNoSuchGroup(KafkaFuture<T> future) throws InterruptedException {
    try {
      return get(future);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return null;
      }
      throw e;
    }
  }

  public static final class KafkaUnreachableException extends RuntimeException {
    KafkaUnreachableException(String bootstrapServers, Throwable cause) {
      super(
          "cannot reach Kafka at "
              + bootstrapServers
              + " within "
              + TIMEOUT.toSeconds()
              + " s ("
              + cause.getMessage()
              + "). Is 'millrace up' running, or bootstrap.servers set to your cluster?",
          cause);
    }
  }
}
