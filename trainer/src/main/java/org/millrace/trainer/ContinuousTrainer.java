package org.millrace.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.PartitionPosition;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.checkpoint.TrainerState;
import org.millrace.trainer.optim.GptTrainer;
import org.millrace.trainer.optim.TrainingStep;
import org.millrace.trainer.stream.TokenStreamPosition;
import org.millrace.trainer.stream.TokenStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer-trainer's loop, in the order things happen: resume from the latest checkpoint (or
 * start fresh), then for ever: read a batch of packed windows from the token stream, take one
 * optimizer step, publish progress every few steps, checkpoint every N steps and then commit the
 * consumer offsets. It stops after {@code trainer.max.steps} or when asked, with a last checkpoint.
 */
public final class ContinuousTrainer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ContinuousTrainer.class);
  private static final Duration BATCH_WAIT = Duration.ofSeconds(1);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

  private final TrainerSettings settings;
  private final Tokenizer tokenizer;
  private final Topics topics;
  private final Producer<byte[], byte[]> producer;
  private final CheckpointStore checkpoints;
  private final AvroSerde<TrainerProgress> progressSerde = AvroSerde.trainerProgress();
  private final GptTrainer trainer;
  private final TokenStreamReader reader;

  private volatile boolean stopRequested;
  private long step;
  private long tokensTrained;
  private float firstLoss = Float.NaN;
  private long lastCheckpointStep;
  private long progressTokens;
  private long progressNanos = System.nanoTime();

  /**
   * Resumes the run's latest checkpoint, or builds a fresh model when there is none.
   *
   * @param consumer reads the token topic; its group id must be {@link
   *     TrainerSettings#consumerGroup()}
   * @param producer publishes progress (and rejected token records) Both belong to the trainer from
   *     now on: {@link #close()} closes them.
   */
  public ContinuousTrainer(
      TrainerSettings settings,
      Tokenizer tokenizer,
      Topics topics,
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer)
      throws IOException {
    this.settings = settings;
    this.tokenizer = tokenizer;
    this.topics = topics;
    this.producer = producer;
    this.checkpoints =
        new CheckpointStore(settings.checkpointDirectory(), settings.checkpointKeep());

    TokenStreamPosition position = TokenStreamPosition.start();
    Optional<Path> latest = checkpoints.latest();
    if (latest.isPresent()) {
      CheckpointStore.Restored restored =
          checkpoints.restore(latest.get(), settings.optimization());
      TrainerState state = restored.state();
      if (!state.tokenizerFingerprint().equals(tokenizer.fingerprint())) {
        restored.trainer().close();
        throw new IllegalStateException(
            "checkpoint "
                + latest.get()
                + " was trained with tokenizer "
                + state.tokenizerFingerprint()
                + ", this trainer's tokenizer is "
                + tokenizer.fingerprint()
                + ": use another trainer.run.id for a new model");
      }
      this.trainer = restored.trainer();
      position = restored.position();
      this.step = state.step();
      this.tokensTrained = state.tokensTrained();
      this.firstLoss = state.firstLoss();
      this.lastCheckpointStep = state.step();
      log.info(
          "Resumed run '{}' from {} at step {} ({})",
          settings.runId(),
          latest.get().getFileName(),
          step,
          position);
    } else {
      this.trainer = new GptTrainer(settings.model(), settings.optimization(), settings.seed());
      log.info(
          "Starting run '{}': {} parameters, {}",
          settings.runId(),
          String.format("%,d", settings.model().parameterCount()),
          settings.model());
    }
    try {
      this.reader =
          new TokenStreamReader(
              consumer,
              producer,
              topics.tokens(),
              topics.rejected(),
              tokenizer.fingerprint(),
              settings.rejectedPayloadMaxBytes(),
              position,
              METADATA_TIMEOUT);
    } catch (RuntimeException e) {
      trainer.close();
      throw e;
    }
  }

  /** Trains until {@code trainer.max.steps} is reached or {@link #stop()} is called. */
  public void run() throws IOException {
    boolean waiting = false;
    while (!stopRequested && (settings.maxSteps() == 0 || step < settings.maxSteps())) {
      int[] windows =
          reader.nextBatch(settings.batchSize(), settings.model().blockSize(), BATCH_WAIT);
      if (windows == null) {
        if (!waiting) {
          log.info(
              "Waiting for tokens on {} ({} records read so far, {} of them validation records, not"
                  + " trained on)",
              topics.tokens(),
              reader.recordsRead(),
              reader.validationRecordsSkipped());
        }
        waiting = true;
        continue;
      }
      waiting = false;

      TrainingStep result = trainer.step(windows, settings.batchSize());
      if (!Float.isFinite(result.loss()) || !Float.isFinite(result.gradientNorm())) {
        // Stop before a checkpoint can save the damaged weights: the last checkpoint stays good.
        throw new IllegalStateException(
            String.format(
                "training diverged at step %d (loss %s, gradient norm %s); the latest checkpoint,"
                    + " step %d, is intact",
                result.step(), result.loss(), result.gradientNorm(), lastCheckpointStep));
      }
      step = result.step();
      int tokens = settings.batchSize() * settings.model().blockSize();
      tokensTrained += tokens;
      progressTokens += tokens;
      if (Float.isNaN(firstLoss)) {
        firstLoss = result.loss();
      }

      if (step == 1 || step % settings.progressIntervalSteps() == 0) {
        publishProgress(result);
      }
      if (step % settings.checkpointIntervalSteps() == 0) {
        checkpoint();
      }
    }
    if (step > lastCheckpointStep) {
      checkpoint();
    }
  }

  /**
   * Asks the loop to stop after the current step; it writes a last checkpoint before {@link #run()}
   * returns.
   */
  public void stop() {
    stopRequested = true;
  }

  private void publishProgress(TrainingStep result) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - progressNanos) / 1e9);
    double tokensPerSecond = progressTokens / seconds;
    progressTokens = 0;
    progressNanos = now;

    TokenStreamPosition position = reader.position();
    TrainerProgress progress =
        TrainerProgress.newBuilder()
            .setRunId(settings.runId())
            .setStep(step)
            .setLoss(result.loss())
            .setLearningRate((float) result.learningRate())
            .setTokensPerSecond(tokensPerSecond)
            .setTokensTrained(tokensTrained)
            .setPositions(positions(position))
            .setPendingTokens(position.pendingTokens().length)
            .setCheckpointStep(lastCheckpointStep == 0 ? null : lastCheckpointStep)
            .setTimestamp(Instant.now())
            .build();
    producer.send(
        new ProducerRecord<>(
            topics.progress(),
            settings.runId().getBytes(StandardCharsets.UTF_8),
            progressSerde.encode(progress)));
    double gigaflops = tokensPerSecond * settings.model().flopsPerToken() / 1e9;
    log.info(
        String.format(
            "step %d | loss %.4f | lr %.2e | grad norm %.2f | %,.0f tokens/s | %.1f GFLOP/s",
            step,
            result.loss(),
            result.learningRate(),
            result.gradientNorm(),
            tokensPerSecond,
            gigaflops));
  }

  private void checkpoint() throws IOException {
    TokenStreamPosition position = reader.position();
    Path saved =
        checkpoints.save(
            trainer,
            position,
            new TrainerState(
                settings.runId(), step, tokensTrained, tokenizer.fingerprint(), firstLoss));
    reader.commit(position);
    lastCheckpointStep = step;
    log.info("Checkpoint {} written ({})", saved, position);
  }

  private static List<PartitionPosition> positions(TokenStreamPosition position) {
    List<PartitionPosition> positions = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> entry : position.nextOffsets().entrySet()) {
      positions.add(
          new PartitionPosition(
              entry.getKey().topic(), entry.getKey().partition(), entry.getValue()));
    }
    return positions;
  }

  public long step() {
    return step;
  }

  public TokenStreamPosition position() {
    return reader.position();
  }

  @Override
  public void close() {
    reader.close();
    producer.close();
    trainer.close();
  }
}
