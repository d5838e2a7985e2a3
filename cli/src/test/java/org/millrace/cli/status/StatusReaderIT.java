package org.millrace.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.processors.Stages;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.PartitionPosition;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.TrainerSettings;

/**
 * What status reads of the trainer on a real broker: its lag counts from the read position its
 * progress reports, not from the offsets it committed at its last checkpoint, and what lies between
 * the two is reported as unsaved.
 */
class StatusReaderIT {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void theTrainersLagCountsFromItsReadPositionAndTheRestIsUnsaved() throws Exception {
    MillraceConfig config =
        kafka.pipeline(
            "between",
            Map.of(MillraceConfig.TOPICS_PARTITIONS, "1", TrainerKeys.RUN_ID, "between"));
    Topics topics = Topics.of(config);
    TopicPartition tokens = new TopicPartition(topics.tokens(), 0);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "status-test"))) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topics.tokens(), 0, null, new byte[] {(byte) i}));
      }
    }
    // the last checkpoint committed 4; the trainer has read all 10 since
    commit(config, tokens, 4);
    StatusReport.Stage beforeProgress = trainRow(new StatusReader(config).read());
    assertThat(beforeProgress.lag()).as("no progress yet: from the committed offset").isEqualTo(6);

    publishProgress(config, topics, tokens, 10);
    StatusReport report = new StatusReader(config).read();
    StatusReport.Stage train = trainRow(report);
    assertThat(train.lag()).isZero();
    assertThat(train.lagSeconds()).isZero();
    assertThat(train.readOffsets()).isEqualTo(10);
    assertThat(train.committedOffsets()).isEqualTo(4);
    assertThat(train.unsavedRecords()).isEqualTo(6);
    assertThat(report.trainer().step()).isEqualTo(42);
    for (StatusReport.Stage stage : report.stages()) {
      for (StatusReport.PartitionLag partition : stage.partitions()) {
        assertThat(partition.position())
            .as("%s: read no further than the end read after it", stage.stage())
            .isLessThanOrEqualTo(partition.end());
        assertThat(partition.lag()).isNotNegative();
      }
    }

    StatusWindow window = new StatusWindow(1024);
    window.add(report);
    StatusReport judged = window.add(new StatusReader(config).read());
    assertThat(trainRow(judged).verdict())
        .as("idle between checkpoints, with fresh progress")
        .isEqualTo("OK");
  }

  @Test
  void documentsInAStagesInternalTopicsAreCountedApartFromItsInputLag() throws Exception {
    MillraceConfig config =
        kafka.pipeline(
            "internal",
            Map.of(MillraceConfig.TOPICS_PARTITIONS, "1", TrainerKeys.RUN_ID, "internal"));
    String group = Stages.DEDUP.applicationId();
    // as Kafka Streams names a repartition topic: after the application id
    TopicPartition questions = new TopicPartition(group + "-text-questions-repartition", 0);
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      admin.createTopics(List.of(new NewTopic(questions.topic(), 1, (short) 1))).all().get();
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "status-test"))) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>(questions.topic(), 0, null, new byte[] {(byte) i}));
      }
    }
    // the stage read its (empty) input to the end, and two of its five questions
    commit(config, group, questions, 2);

    StatusReport report = new StatusReader(config).read();
    StatusReport.Stage dedup = row(report, Stages.DEDUP.name());
    assertThat(dedup.lag()).as("nothing waits in docs.clean").isZero();
    assertThat(dedup.internalLag()).isEqualTo(3);
    assertThat(row(report, Stages.CLEAN.name()).internalLag()).isZero();
    assertThat(dedup.partitions())
        .as("the input's partitions alone")
        .allSatisfy(p -> assertThat(p.partition()).isZero());
  }

  private static StatusReport.Stage row(StatusReport report, String stage) {
    return report.stages().stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow();
  }

  private static StatusReport.Stage trainRow(StatusReport report) {
    return report.stages().stream()
        .filter(s -> s.stage().equals(StatusReader.TRAIN))
        .findFirst()
        .orElseThrow();
  }

  private static void commit(MillraceConfig config, TopicPartition partition, long offset) {
    commit(config, TrainerSettings.groupOf("between"), partition, offset);
  }

  private static void commit(
      MillraceConfig config, String group, TopicPartition partition, long offset) {
    Properties properties = KafkaClientProperties.consumer(config, group, "status-test-commit");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      consumer.assign(List.of(partition));
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
    }
  }

  private static void publishProgress(
      MillraceConfig config, Topics topics, TopicPartition partition, long nextOffset) {
    TrainerProgress progress =
        TrainerProgress.newBuilder()
            .setRunId("between")
            .setStep(42)
            .setLoss(2.5f)
            .setLearningRate(1e-3f)
            .setTokensPerSecond(0)
            .setTokensTrained(42 * 64)
            .setPositions(
                List.of(
                    new PartitionPosition(partition.topic(), partition.partition(), nextOffset)))
            .setPendingTokens(0)
            .setCheckpointStep(40L)
            .setTimestamp(Instant.now())
            .build();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "status-test-progress"))) {
      producer.send(
          new ProducerRecord<>(
              topics.progress(),
              "between".getBytes(StandardCharsets.UTF_8),
              AvroSerde.trainerProgress().encode(progress)));
    }
  }
}
