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

  private final MillraceConfig config;
  private final Topics topics;

  public StatusReader(MillraceConfig config) {
    this.config = config;
    this.topics = Topics.of(config);
  }

  /**
   * @throws KafkaUnreachableException when the cluster does not answer within {@link #TIMEOUT}
   */
  public StatusReport read() throws InterruptedException {
    Properties properties = KafkaClientProperties.admin(config);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (Admin admin = Admin.create(properties)) {
      Map<String, TopicDescription> descriptions =
          get(admin.describeTopics(topics.all()).allTopicNames());
      Map<TopicPartition, Long> ends = endOffsets(admin, descriptions);

      String runId = config.getString(TrainerKeys.RUN_ID);
      long now = System.currentTimeMillis();
      List<StatusReport.Stage> stages = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = groupLessConsumer()) {
        for (Stage stage : Stages.ALL) {
          stages.add(
              stage(
                  admin,
                  consumer,
                  stage.name(),
                  stage.applicationId(),
                  stage.inputTopic(config),
                  descriptions,
                  ends,
                  now));
        }
        stages.add(
            stage(
                admin,
                consumer,
                TRAIN,
                TrainerSettings.groupOf(runId),
                topics.tokens(),
                descriptions,
                ends,
                now));
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
      return new StatusReport(
          config.bootstrapServers(), now, stages, topicReports, trainer(runId, ends));
    }
  }

  /** A consumer that joins no group and commits nothing: it reads timestamps and progress. */
  private KafkaConsumer<byte[], byte[]> groupLessConsumer() {
    Properties properties = KafkaClientProperties.groupLessConsumer(config, "millrace-status");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    return new KafkaConsumer<>(properties);
  }

  private Map<TopicPartition, Long> endOffsets(
      Admin admin, Map<String, TopicDescription> descriptions) throws InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
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
      Admin admin,
      KafkaConsumer<byte[], byte[]> consumer,
      String stage,
      String group,
      String inputTopic,
      Map<String, TopicDescription> descriptions,
      Map<TopicPartition, Long> ends,
      long now)
      throws InterruptedException {
    ConsumerGroupDescription description =
        unlessNoSuchGroup(
            admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
    Map<TopicPartition, OffsetAndMetadata> committed =
        description == null
            ? Map.of()
            : get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    GroupLag lag =
        GroupLag.of(
            group,
            inputTopic,
            descriptions.get(inputTopic).partitions().size(),
            ends,
            committed,
            consumer,
            TIMEOUT);
    List<StatusReport.PartitionLag> partitions = new ArrayList<>();
    long committedOffsets = 0;
    for (GroupLag.PartitionLag partition : lag.partitions()) {
      partitions.add(
          new StatusReport.PartitionLag(
              partition.partition(),
              partition.committed(),
              partition.end(),
              partition.lag(),
              partition.lagSeconds(now)));
      committedOffsets += partition.committed() == null ? 0 : partition.committed();
    }
    return new StatusReport.Stage(
        stage,
        group,
        description == null ? NOT_STARTED : description.groupState().toString(),
        description == null ? 0 : description.members().size(),
        inputTopic,
        committedOffsets,
        lag.totalLag(),
        lag.maxLagSeconds(now),
        null,
        null,
        null,
        partitions);
  }

  /**
   * The latest progress of the configured run (or of the latest run, if the configured one never
   * reported).
   */
  private StatusReport.Trainer trainer(String runId, Map<TopicPartition, Long> ends) {
    TopicPartition progress = new TopicPartition(topics.progress(), 0);
    long end = ends.getOrDefault(progress, 0L);
    if (end == 0) {
      return null;
    }
    AvroSerde<TrainerProgress> serde = AvroSerde.trainerProgress();
    Map<String, TrainerProgress> first = new HashMap<>();
    Map<String, TrainerProgress> latest = new HashMap<>();
    Map<String, TrainerProgress> latestEvaluated = new HashMap<>();
    String latestRun = null;
    try (KafkaConsumer<byte[], byte[]> consumer = groupLessConsumer()) {
      consumer.assign(List.of(progress));
      consumer.seekToBeginning(List.of(progress));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(progress, TIMEOUT) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TrainerProgress update;
          try {
            update = serde.decode(record.value());
          } catch (RuntimeException unreadable) {
            continue; // not ours to judge here; the trainer alone writes this topic
          }
          first.putIfAbsent(update.getRunId(), update);
          latest.put(update.getRunId(), update);
          if (update.getValidationLoss() != null) {
            latestEvaluated.put(update.getRunId(), update);
          }
          latestRun = update.getRunId();
        }
      }
    }
    String run = latest.containsKey(runId) ? runId : latestRun;
    if (run == null) {
      return null;
    }
    TrainerProgress last = latest.get(run);
    TrainerProgress evaluated = latestEvaluated.get(run);
    return new StatusReport.Trainer(
        run,
        last.getStep(),
        first.get(run).getLoss(),
        last.getLoss(),
        evaluated == null ? null : evaluated.getValidationLoss(),
        evaluated == null ? null : evaluated.getStep(),
        last.getLearningRate(),
        last.getTokensPerSecond(),
        last.getModelFlopsUtilization(),
        last.getInputStall(),
        last.getTokensTrained(),
        last.getCheckpointStep(),
        last.getTimestamp().toString());
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
