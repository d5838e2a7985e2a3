package org.millrace.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.PartitionPosition;
import org.millrace.schemas.TaskAccuracy;
import org.millrace.schemas.TrainerProgress;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.checkpoint.TrainerState;
import org.millrace.trainer.diloco.DilocoWorker;
import org.millrace.trainer.diloco.RoundExchange;
import org.millrace.trainer.eval.EvalTask;
import org.millrace.trainer.eval.FewShotSampler;
import org.millrace.trainer.eval.LoglikelihoodScorer;
import org.millrace.trainer.eval.TaskEvaluator;
import org.millrace.trainer.eval.TaskScore;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.TrainingStep;
import org.millrace.trainer.stream.BatchPrefetcher;
import org.millrace.trainer.stream.PartitionShare;
import org.millrace.trainer.stream.TokenStreamPosition;
import org.millrace.trainer.stream.TokenStreamReader;
import org.millrace.trainer.stream.ValidationSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer-trainer's loop, in the order things happen: resume from the latest checkpoint (or
 * start fresh), then for ever: take the next batch (read and packed ahead on another thread), take
 * one optimizer step, publish progress every few steps, evaluate on the fixed validation set every
 * K steps, checkpoint every N steps (or T minutes) and then commit the checkpointed position to the
 * consumer group; as one of several DiLoCo workers, end a round every H steps ({@link
 * DilocoWorker}). It stops after {@code trainer.max.steps} or when asked, with a last checkpoint.
 */
public final class ContinuousTrainer implements AutoCloseable {

  private volatile TrainerProgress latestProgress;
  private volatile Map<String, TaskScore> latestTaskScores = Map.of();
  private final List<EvalTask> evalTasks = new ArrayList<>();
  private TaskEvaluator taskEvaluator;
  private volatile float latestGradientNorm = Float.NaN;
  private volatile Instant lastCheckpointTime;

  private static final Logger log = LoggerFactory.getLogger(ContinuousTrainer.class);
  private static final Duration BATCH_WAIT = Duration.ofSeconds(1);

  /** How often an idle trainer says so on the progress topic: it is waiting, not gone. */
  static final Duration IDLE_HEARTBEAT = Duration.ofSeconds(5);

  /**
   * How long the trainer waits for tokens before it checkpoints the steps it took since its last
   * checkpoint, so that a caught-up pipeline has nothing to replay after a crash and its committed
   * offsets (the lag every Kafka tool shows) reach the end of the tokens topic.
   */
  static final Duration IDLE_CHECKPOINT = Duration.ofSeconds(10);

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

  private final TrainerSettings settings;
  private final Tokenizer tokenizer;
  private final Topics topics;
  private final TrainerClients clients;
  private final CheckpointStore checkpoints;
  private final AvroSerde<TrainerProgress> progressSerde = AvroSerde.trainerProgress();
  private final ModelTrainer trainer;
  private final BatchPrefetcher batches;
  private final double peakFlops;
  // one of several trainers of the model (trainer.diloco.workers > 1); null for a single trainer
  private final DilocoWorker diloco;

  private volatile boolean stopRequested;
  private TokenStreamPosition trained;
  private long step;
  private long tokensTrained;
  private float firstLoss = Float.NaN;
  private long lastCheckpointStep;
  private long lastCheckpointNanos = System.nanoTime();
  private int[] validationWindows = new int[0];
  private boolean validationComplete;

  // since the previous progress record
  private long progressTokens;
  private long progressNanos = System.nanoTime();
  private long progressWaitNanos;
  private TrainingStep lastStep;
  private long batchesTaken;
  private long idleSinceNanos;
  private long lastProgressNanos;
  // the trainer's read position, as it last published it: for the unsaved-records gauge
  private volatile TokenStreamPosition readPosition;
  private volatile Map<TopicPartition, Long> checkpointedOffsets = Map.of();

  ContinuousTrainer(
      TrainerSettings settings, Tokenizer tokenizer, Topics topics, TrainerClients clients)
      throws IOException {
    this.settings = settings;
    this.tokenizer = tokenizer;
    this.topics = topics;
    // the task files are read and checked at start, not at the first evaluation
    for (String task : settings.taskEvaluation().tasks()) {
      evalTasks.add(EvalTask.load(task).limit(settings.taskEvaluation().limit()));
    }
    if (!evalTasks.isEmpty() && settings.model().architecture() == Architecture.ENCODER) {
      throw new IllegalArgumentException(
          TrainerKeys.EVAL_TASKS
              + " needs a causal model: the encoder architecture does not predict the next token");
    }
    this.clients = clients;
    this.checkpoints =
        new CheckpointStore(settings.checkpointDirectory(), settings.checkpointKeep());

    TokenStreamPosition position = TokenStreamPosition.start();
    Optional<Path> latest = checkpoints.latest();
    if (latest.isPresent()) {
      CheckpointStore.Restored restored =
          checkpoints.restore(latest.get(), settings.optimization());
      TrainerState state = restored.state();
      if (!state.tokenizerFingerprint().equals(tokenizer.fingerprint())) {
        restored.model().close();
        throw new IllegalStateException(
            "checkpoint "
                + latest.get()
                + " was trained with tokenizer "
                + state.tokenizerFingerprint()
                + ", this trainer's tokenizer is "
                + tokenizer.fingerprint()
                + ": use another trainer.run.id for a new model");
      }
      this.trainer = restored.model();
      position = restored.position();
      this.checkpointedOffsets = Map.copyOf(position.nextOffsets());
      this.step = state.step();
      this.tokensTrained = state.tokensTrained();
      this.firstLoss = state.firstLoss();
      this.lastCheckpointStep = state.step();
      this.lastCheckpointTime = Files.getLastModifiedTime(latest.get()).toInstant();
      log.info(
          "Resumed run '{}' from {} at step {} ({})",
          settings.runId(),
          latest.get().getFileName(),
          step,
          position);
    } else {
      this.trainer = new ModelTrainer(settings.model(), settings.optimization(), settings.seed());
      log.info(
          "Starting run '{}': {} parameters, {}",
          settings.runId(),
          String.format("%,d", settings.model().parameterCount()),
          settings.model());
    }
    this.trained = position;
    KafkaConsumer<byte[], byte[]> consumer = clients.newConsumer("millrace-trainer");
    try {
      TokenStreamReader reader =
          new TokenStreamReader(
              consumer,
              clients.producer(),
              topics.tokens(),
              topics.rejected(),
              tokenizer.fingerprint(),
              settings.rejectedPayloadMaxBytes(),
              settings.retentionSkip(),
              position,
              new PartitionShare(settings.diloco().workers(), settings.diloco().worker()),
              METADATA_TIMEOUT);
      this.batches =
          new BatchPrefetcher(reader, settings.batchSize(), settings.model().blockSize());
    } catch (RuntimeException e) {
      consumer.close();
      trainer.close();
      throw e;
    }
    this.diloco = settings.diloco().enabled() ? joinDiloco(latest) : null;
    this.peakFlops = settings.peakFlops() > 0 ? settings.peakFlops() : MatmulProbe.measureFlops();
    log.info(
        String.format(
            "Peak for MFU: %.1f GFLOP/s (%s); model: %,d FLOPs per token",
            peakFlops / 1e9,
            settings.peakFlops() > 0 ? "trainer.peak.flops" : "measured by a 1024x1024 fp32 matmul",
            settings.model().flopsPerToken()));
    if (!evalTasks.isEmpty()) {
      this.taskEvaluator =
          new TaskEvaluator(
              tokenizer,
              new LoglikelihoodScorer(trainer, settings.batchSize()),
              new FewShotSampler(0, FewShotSampler.DEFAULT_SEED));
    }
  }

  /**
   * This trainer's DiLoCo worker, from the checkpoint resumed from or fresh, caught up with the
   * rounds that closed in the sync topic since.
   */
  private DilocoWorker joinDiloco(Optional<Path> checkpoint) throws IOException {
    KafkaConsumer<byte[], byte[]> consumer = clients.newConsumer("millrace-trainer-sync");
    try {
      RoundExchange exchange =
          new RoundExchange(
              consumer,
              clients.producer(),
              topics.trainerSync(),
              settings.runId(),
              settings.diloco());
      DilocoWorker worker =
          checkpoint.isPresent()
              ? DilocoWorker.restore(settings.diloco(), exchange, trainer, checkpoint.get())
              : DilocoWorker.start(settings.diloco(), exchange, trainer);
      worker.catchUp(trainer, step);
      log.info(
          "DiLoCo worker {} of {}: reads partitions {} of {}, round {} done, {} inner steps a"
              + " round",
          settings.diloco().worker(),
          settings.diloco().workers(),
          batches.reader().partitions(),
          topics.tokens(),
          worker.round(),
          settings.diloco().innerSteps());
      return worker;
    } catch (IOException | RuntimeException e) {
      consumer.close(); // the exchange's
      batches.close();
      trainer.close();
      throw e;
    }
  }

  /**
   * With DiLoCo, ends the round once its H inner steps are taken (sends the pseudo-gradient, waits
   * for the round to close, takes the outer step) and checkpoints the new round's start. A stop
   * asked for while it waits leaves the round to the next start.
   */
  private void finishRoundIfDue() throws IOException {
    if (diloco != null
        && diloco.roundDue(step)
        && diloco.finishRound(trainer, step, () -> stopRequested)) {
      checkpoint();
    }
  }

  /** Trains until {@code trainer.max.steps} is reached or {@link #stop()} is called. */
  public void run() throws IOException, InterruptedException {
    // a worker stopped while it waited for its round finishes that round first
    finishRoundIfDue();
    boolean waiting = false;
    while (!stopRequested && (settings.maxSteps() == 0 || step < settings.maxSteps())) {
      long waitStart = System.nanoTime();
      BatchPrefetcher.Batch batch = batches.take(BATCH_WAIT);
      progressWaitNanos += System.nanoTime() - waitStart;
      if (batch == null) {
        if (!waiting) {
          TokenStreamReader reader = batches.reader();
          log.info(
              "Waiting for tokens on {} ({} records read so far, {} of them validation records, not"
                  + " trained on)",
              topics.tokens(),
              reader.recordsRead(),
              reader.validationRecordsSkipped());
          idleSinceNanos = System.nanoTime();
        }
        waiting = true;
        whileIdle();
        continue;
      }
      waiting = false;
      batchesTaken++;

      TrainingStep result = trainer.step(batch.windows(), settings.batchSize());
      if (!Float.isFinite(result.loss()) || !Float.isFinite(result.gradientNorm())) {
        // Stop before a checkpoint can save the damaged weights: the last checkpoint stays good.
        throw new IllegalStateException(
            String.format(
                "training diverged at step %d (loss %s, gradient norm %s); the latest checkpoint,"
                    + " step %d, is intact",
                result.step(), result.loss(), result.gradientNorm(), lastCheckpointStep));
      }
      step = result.step();
      lastStep = result;
      trained = batch.position();
      int tokens = settings.batchSize() * settings.model().blockSize();
      tokensTrained += tokens;
      progressTokens += tokens;
      if (Float.isNaN(firstLoss)) {
        firstLoss = result.loss();
      }

      Float validationLoss = null;
      if (settings.evalIntervalSteps() > 0 && step % settings.evalIntervalSteps() == 0) {
        validationLoss = evaluate();
      }
      List<TaskScore> taskScores = settings.taskEvaluation().dueAt(step) ? evaluateTasks() : null;
      if (step == 1
          || step % settings.progressIntervalSteps() == 0
          || validationLoss != null
          || taskScores != null) {
        publishProgress(result, validationLoss, taskScores);
      }
      if (step % settings.checkpointIntervalSteps() == 0 || checkpointIsDueByTime()) {
        checkpoint();
      }
      finishRoundIfDue();
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

  private boolean checkpointIsDueByTime() {
    double minutes = settings.checkpointIntervalMinutes();
    return minutes > 0 && System.nanoTime() - lastCheckpointNanos >= minutes * 60e9;
  }

  /**
   * The mean loss on the fixed validation set, or null while the topic has no full window of it.
   */
  private Float evaluate() {
    if (!validationComplete) {
      try (KafkaConsumer<byte[], byte[]> consumer =
          clients.newConsumer("millrace-trainer-validation")) {
        int[] tokens =
            ValidationSet.read(
                consumer, topics.tokens(), tokenizer.fingerprint(), settings.evalTokens());
        validationComplete = tokens.length == settings.evalTokens();
        validationWindows = ValidationSet.windows(tokens, settings.model().blockSize());
        log.info(
            "Validation set: {} tokens{}",
            tokens.length,
            validationComplete ? " (complete, fixed from now on)" : "");
      }
    }
    double loss = trainer.meanLoss(validationWindows, settings.batchSize());
    return Double.isNaN(loss) ? null : (float) loss;
  }

  /** The accuracies of the model on trainer.eval.tasks, now. */
  private List<TaskScore> evaluateTasks() {
    List<TaskScore> scores = new ArrayList<>();
    Map<String, TaskScore> byName = new LinkedHashMap<>();
    for (EvalTask task : evalTasks) {
      TaskScore score = taskEvaluator.evaluate(task, done -> {});
      scores.add(score);
      byName.put(score.task(), score);
      log.info(
          String.format(
              "step %d | task %s: acc %.4f ± %.4f%s over %d examples",
              step,
              score.task(),
              score.acc(),
              score.accStderr(),
              score.multipleChoice()
                  ? String.format(" | acc_norm %.4f | chance %.4f", score.accNorm(), score.chance())
                  : "",
              score.examples()));
    }
    latestTaskScores = Map.copyOf(byName);
    return scores;
  }

  private static List<TaskAccuracy> taskAccuracies(List<TaskScore> scores) {
    if (scores == null) {
      return null;
    }
    List<TaskAccuracy> accuracies = new ArrayList<>();
    for (TaskScore score : scores) {
      accuracies.add(
          TaskAccuracy.newBuilder()
              .setTask(score.task())
              .setExamples(score.examples())
              .setAcc(score.acc())
              .setAccStderr(score.accStderr())
              .setAccNorm(score.multipleChoice() ? score.accNorm() : null)
              .setChance(score.multipleChoice() ? score.chance() : null)
              .build());
    }
    return accuracies;
  }

  private void publishProgress(
      TrainingStep result, Float validationLoss, List<TaskScore> taskScores) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - progressNanos) / 1e9);
    double tokensPerSecond = progressTokens / seconds;
    double stall = Math.min(1.0, progressWaitNanos / 1e9 / seconds);
    double mfu = tokensPerSecond * settings.model().flopsPerToken() / peakFlops;
    progressTokens = 0;
    progressWaitNanos = 0;
    progressNanos = now;

    TrainerProgress progress =
        TrainerProgress.newBuilder()
            .setRunId(settings.runId())
            .setStep(step)
            .setLoss(result.loss())
            .setLearningRate((float) result.learningRate())
            .setTokensPerSecond(tokensPerSecond)
            .setTokensTrained(tokensTrained)
            .setPositions(positions(trained))
            .setPendingTokens(trained.pendingTokens().length)
            .setCheckpointStep(lastCheckpointStep == 0 ? null : lastCheckpointStep)
            .setValidationLoss(validationLoss)
            .setInputStall(stall)
            .setModelFlopsUtilization(mfu)
            .setTaskScores(taskAccuracies(taskScores))
            .setTimestamp(Instant.now())
            .build();
    latestProgress = progress;
    latestGradientNorm = result.gradientNorm();
    readPosition = trained;
    lastProgressNanos = now;
    clients
        .producer()
        .send(
            new ProducerRecord<>(
                topics.progress(),
                settings.runId().getBytes(StandardCharsets.UTF_8),
                progressSerde.encode(progress)));
    log.info(
        String.format(
            "step %d | loss %.4f%s | lr %.2e | grad norm %.2f | %,.0f tokens/s | MFU %.1f%% | input"
                + " stall %.0f%%",
            step,
            result.loss(),
            validationLoss == null ? "" : String.format(" | val %.4f", validationLoss),
            result.learningRate(),
            result.gradientNorm(),
            tokensPerSecond,
            100 * mfu,
            100 * stall));
  }

  /**
   * What an idle trainer does between two looks for tokens: once it has trained on everything the
   * reader read, its read position moves to the reader's (the pending tokens included); it says it
   * is alive every {@link #IDLE_HEARTBEAT}, and after {@link #IDLE_CHECKPOINT} it checkpoints the
   * steps not yet saved.
   */
  private void whileIdle() throws IOException {
    BatchPrefetcher.IdlePosition idle = batches.idle();
    if (idle == null || idle.batchesOffered() != batchesTaken) {
      return; // the reader has found tokens, or a batch is on its way
    }
    trained = idle.position();
    long now = System.nanoTime();
    if (step > lastCheckpointStep && now - idleSinceNanos >= IDLE_CHECKPOINT.toNanos()) {
      checkpoint();
    }
    if (lastStep != null && now - lastProgressNanos >= IDLE_HEARTBEAT.toNanos()) {
      publishProgress(lastStep, null, null);
    }
  }

  private void checkpoint() throws IOException {
    TrainerState state =
        new TrainerState(settings.runId(), step, tokensTrained, tokenizer.fingerprint(), firstLoss);
    Path saved =
        diloco == null
            ? checkpoints.save(trainer, trained, state)
            : checkpoints.save(trainer, trained, state, folder -> diloco.save(trainer, folder));
    clients.commit(trained.nextOffsets());
    checkpointedOffsets = Map.copyOf(trained.nextOffsets());
    lastCheckpointStep = step;
    lastCheckpointNanos = System.nanoTime();
    lastCheckpointTime = Instant.now();
    log.info("Checkpoint {} written ({})", saved, trained);
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

  /**
   * Where the trainer has read the tokens topic to, as its latest progress reports it (empty before
   * the first): the next offset of each partition. Safe to call from any thread.
   */
  public Map<TopicPartition, Long> readOffsets() {
    TokenStreamPosition read = readPosition;
    return read == null ? Map.of() : Map.copyOf(read.nextOffsets());
  }

  /**
   * Token records read (as the latest progress reports them) but not yet in a checkpoint: what a
   * crash now would make the trainer read and train on again. Safe to read from any thread.
   */
  public long unsavedRecords() {
    TokenStreamPosition read = readPosition;
    if (read == null) {
      return 0;
    }
    Map<TopicPartition, Long> saved = checkpointedOffsets;
    long unsaved = 0;
    for (Map.Entry<TopicPartition, Long> entry : read.nextOffsets().entrySet()) {
      unsaved += Math.max(0, entry.getValue() - saved.getOrDefault(entry.getKey(), 0L));
    }
    return unsaved;
  }

  /**
   * The latest accuracy on each of trainer.eval.tasks, by task name; empty before the first
   * evaluation. Safe to read from any thread.
   */
  public Map<String, TaskScore> latestTaskScores() {
    return latestTaskScores;
  }

  /** The names of trainer.eval.tasks, in their order. */
  public List<String> evalTaskNames() {
    return evalTasks.stream().map(EvalTask::name).toList();
  }

  /** The last progress published, or null before the first; safe to read from any thread. */
  public TrainerProgress latestProgress() {
    return latestProgress;
  }

  /**
   * The gradient norm (before clipping) of the step of the latest progress, NaN before the first.
   * Not in the progress record, whose schema has no field for it; served as a metric.
   */
  public float latestGradientNorm() {
    return latestGradientNorm;
  }

  /**
   * When the latest checkpoint of the run was written: by this trainer, or, until it writes one,
   * the one it resumed from (its folder's modification time); null before the run's first.
   */
  public Instant lastCheckpointTime() {
    return lastCheckpointTime;
  }

  public long step() {
    return step;
  }

  /**
   * Token records retention deleted before this trainer read them (trainer.retention.skip=true).
   */
  public long recordsDeletedByRetention() {
    return batches.reader().recordsDeletedByRetention();
  }

  /** The stream position after the last step trained: what the next checkpoint saves. */
  public TokenStreamPosition position() {
    return trained;
  }

  /** This trainer's DiLoCo worker, or null for a single trainer (trainer.diloco.workers = 1). */
  public DilocoWorker diloco() {
    return diloco;
  }

  @Override
  public void close() {
    if (diloco != null) {
      diloco.close();
    }
    batches.close();
    clients.close();
    trainer.close();
  }
}
