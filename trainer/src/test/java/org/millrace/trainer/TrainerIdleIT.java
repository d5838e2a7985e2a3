package org.millrace.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.Split;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.testing.TokenRecords;

/**
 * A trainer that has trained on everything says so: while it waits for tokens it publishes a
 * heartbeat with its read position, and after a short while idle it checkpoints the steps it took
 * since its last checkpoint, so that its committed offsets reach the end of the tokens topic and a
 * caught-up pipeline reads zero lag everywhere.
 */
class TrainerIdleIT {

  private static final ByteLevelTokenizer TOKENIZER = new ByteLevelTokenizer();

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void anIdleTrainerSendsHeartbeatsAndCheckpointsWhatItRead() throws Exception {
    MillraceConfig config =
        kafka.pipeline(
            "idle",
            Map.of(
                MillraceConfig.TOPICS_PARTITIONS, "2",
                TrainerKeys.RUN_ID, "idle",
                TrainerKeys.BATCH_SIZE, "2",
                TrainerKeys.BLOCK_SIZE, "16",
                TrainerKeys.PROGRESS_INTERVAL_STEPS, "1000",
                TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "1000",
                TrainerKeys.EVAL_INTERVAL_STEPS, "0"));
    Topics topics = Topics.of(config);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "idle-test"))) {
      for (int document = 0; document < 20; document++) {
        producer.send(tokens(topics.tokens(), "doc-" + document, document % 2));
      }
    }

    ContinuousTrainer trainer = TrainerClients.connect(config, TOKENIZER);
    Thread thread =
        new Thread(
            () -> {
              try {
                trainer.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    thread.start();
    try {
      // every record read, a checkpoint of the last step, committed to the end of each partition
      Map<TopicPartition, Long> ends = endOffsets(config, topics.tokens());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!committed(config).equals(ends) && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      assertThat(committed(config))
          .as("committed offsets of the trainer's group, idle, with no checkpoint interval due")
          .isEqualTo(ends);
      assertThat(trainer.unsavedRecords()).isZero();
      assertThat(trainer.readOffsets()).isEqualTo(ends);
      long step = trainer.step();
      assertThat(step).isPositive();

      // heartbeats: progress of the same step, seconds apart, its position at the ends
      Thread.sleep(ContinuousTrainer.IDLE_HEARTBEAT.toMillis() + 1_000);
      List<TrainerProgress> atLastStep =
          kafka.records(topics.progress()).stream()
              .map(r -> AvroSerde.trainerProgress().decode(r.value()))
              .filter(p -> p.getStep() == step)
              .toList();
      assertThat(atLastStep).as("progress records of step %d", step).hasSizeGreaterThan(1);
      TrainerProgress last = atLastStep.get(atLastStep.size() - 1);
      assertThat(Duration.between(atLastStep.get(0).getTimestamp(), last.getTimestamp()).toMillis())
          .isGreaterThanOrEqualTo(ContinuousTrainer.IDLE_HEARTBEAT.toMillis());
      assertThat(last.getTokensPerSecond()).as("idle").isZero();
      assertThat(last.getCheckpointStep()).isEqualTo(step);
      assertThat(
              last.getPositions().stream()
                  .collect(
                      Collectors.toMap(
                          p -> new TopicPartition(p.getTopic(), p.getPartition()),
                          p -> p.getNextOffset())))
          .isEqualTo(ends);
      assertThat(last.getTimestamp()).isAfter(Instant.now().minusSeconds(10));
    } finally {
      trainer.stop();
      thread.join(60_000);
      trainer.close();
    }
  }

  private static Map<TopicPartition, Long> committed(MillraceConfig config) throws Exception {
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(TrainerSettings.groupOf("idle"))
              .partitionsToOffsetAndMetadata()
              .get();
      return offsets.entrySet().stream()
          .filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private static Map<TopicPartition, Long> endOffsets(MillraceConfig config, String topic)
      throws Exception {
    try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
      Map<TopicPartition, OffsetSpec> request =
          Map.of(
              new TopicPartition(topic, 0), OffsetSpec.latest(),
              new TopicPartition(topic, 1), OffsetSpec.latest());
      return admin.listOffsets(request).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private static ProducerRecord<byte[], byte[]> tokens(String topic, String id, int partition) {
    int[] ids = TOKENIZER.encode("The mill race turns the wheel; the wheel turns the stone. " + id);
    return TokenRecords.record(
        topic, partition, TokenRecords.document(id, ids, TOKENIZER.fingerprint(), Split.TRAIN));
  }
}
