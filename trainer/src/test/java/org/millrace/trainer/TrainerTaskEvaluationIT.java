package org.millrace.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.Split;
import org.millrace.schemas.TaskAccuracy;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.testing.TokenRecords;

/**
 * Benchmark tasks scheduled during training (trainer.eval.tasks): scored every K steps and
 * published with the progress records; a task that cannot be read stops the trainer at start.
 */
class TrainerTaskEvaluationIT {

  private static final ByteLevelTokenizer TOKENIZER = new ByteLevelTokenizer();

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void theTasksAreScoredEveryKStepsAndPublishedWithTheProgress() throws Exception {
    MillraceConfig config =
        kafka.pipeline(
            "tasks",
            Map.of(
                MillraceConfig.TOPICS_PARTITIONS, "1",
                TrainerKeys.RUN_ID, "tasks",
                TrainerKeys.BATCH_SIZE, "2",
                TrainerKeys.MAX_STEPS, "4",
                TrainerKeys.PROGRESS_INTERVAL_STEPS, "1000",
                TrainerKeys.EVAL_INTERVAL_STEPS, "0",
                TrainerKeys.EVAL_TASKS, "agreement-pairs",
                TrainerKeys.EVAL_TASKS_INTERVAL_STEPS, "2",
                TrainerKeys.EVAL_TASKS_LIMIT, "10"));
    Topics topics = Topics.of(config);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "tasks-test"))) {
      for (int document = 0; document < 20; document++) {
        int[] ids = TOKENIZER.encode("The mill race turns the wheel; the wheel turns the stone.");
        producer.send(
            TokenRecords.record(
                topics.tokens(),
                0,
                TokenRecords.document(
                    "doc-" + document, ids, TOKENIZER.fingerprint(), Split.TRAIN)));
      }
    }

    try (ContinuousTrainer trainer = TrainerClients.connect(config, TOKENIZER)) {
      assertThat(trainer.evalTaskNames()).containsExactly("agreement-pairs");
      trainer.run();
      assertThat(trainer.latestTaskScores()).containsOnlyKeys("agreement-pairs");
    }

    List<TrainerProgress> withScores =
        kafka.records(topics.progress()).stream()
            .map(r -> AvroSerde.trainerProgress().decode(r.value()))
            .filter(p -> p.getTaskScores() != null)
            .toList();
    assertThat(withScores).extracting(TrainerProgress::getStep).containsExactly(2L, 4L);
    TaskAccuracy score = withScores.get(1).getTaskScores().get(0);
    assertThat(score.getTask()).isEqualTo("agreement-pairs");
    assertThat(score.getExamples()).isEqualTo(10);
    assertThat(score.getChance()).isEqualTo(0.5);
    assertThat(score.getAcc()).isBetween(0.0, 1.0);
    assertThat(score.getAccNorm()).isNotNull();
  }

  @Test
  void aTaskThatCannotBeReadStopsTheTrainerAtStart() {
    MillraceConfig config =
        kafka.pipeline(
            "bad-task",
            Map.of(
                TrainerKeys.RUN_ID, "bad-task",
                TrainerKeys.EVAL_TASKS, "no-such-task.jsonl"));

    assertThatThrownBy(() -> TrainerClients.connect(config, TOKENIZER).close())
        .hasMessageContaining("no-such-task.jsonl is neither a task file nor a shipped task");
  }
}
