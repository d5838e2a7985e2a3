package org.millrace.cli.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.millrace.cli.commands.CheckpointOptions;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.stream.ValidationSet;

/**
 * Trains sweep points one after the other, each as {@code millrace train} would with the point's
 * settings ({@link SweepPoint#trainerSettings}): its own run id, so its own checkpoints and
 * consumer group, reading the tokens topic from offset 0 and stopping at its budget. Then it
 * measures the final checkpoint on the fixed validation set and appends a line to the runs file.
 *
 * <p>A point already in the runs file is skipped; a point stopped half-way resumes from its latest
 * checkpoint, as any run does, the next time the sweep runs.
 */
public final class SweepRunner {

  /** The columns of the runs file; {@link RunsCsv} reads it. */
  static final String HEADER = "point,run_id,model,params,tokens,loss,steps,seconds";

  private final MillraceConfig config;
  private final Tokenizer tokenizer;
  private final String sweep;
  private final Path runsFile;
  private final PrintWriter out;
  private int[] validationWindows;
  private volatile ContinuousTrainer current;
  private volatile boolean stopRequested;

  public SweepRunner(
      MillraceConfig config, Tokenizer tokenizer, String sweep, Path runsFile, PrintWriter out) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.sweep = sweep;
    this.runsFile = runsFile;
    this.out = out;
  }

  /**
   * Trains the points not yet in the runs file.
   *
   * @return whether every point is done (false when stopped)
   */
  public boolean run(List<SweepPoint> points) throws Exception {
    long tokensPerStep =
        (long) config.getInt(TrainerKeys.BATCH_SIZE) * config.getInt(TrainerKeys.BLOCK_SIZE);
    int warmup = config.getInt(TrainerKeys.WARMUP_STEPS);
    for (SweepPoint point : points) {
      // each point's schedule ends with it: a point shorter than the warm-up has no schedule
      if (point.steps(tokensPerStep) < warmup) {
        throw new IllegalArgumentException(
            String.format(
                "point %d (%s) trains %d steps of %d tokens, fewer than %s (%d): raise its token"
                    + " budget or lower %s",
                point.index(),
                point.runId(sweep),
                point.steps(tokensPerStep),
                tokensPerStep,
                TrainerKeys.WARMUP_STEPS,
                warmup,
                TrainerKeys.WARMUP_STEPS));
      }
    }
    for (SweepPoint point : points) {
      if (stopRequested) {
        return false;
      }
      String runId = point.runId(sweep);
      if (finishedRunIds().contains(runId)) {
        out.printf("point %d (%s): done, in %s%n", point.index(), runId, runsFile);
        out.flush();
        continue;
      }
      MillraceConfig pointConfig = config.with(point.trainerSettings(sweep, tokensPerStep));
      long steps = point.steps(tokensPerStep);
      out.printf(
          "point %d (%s): %s, %,d tokens = %,d steps of %,d%n",
          point.index(), runId, point.size(), point.tokens(), steps, tokensPerStep);
      out.flush();
      long start = System.nanoTime();
      try (ContinuousTrainer trainer = TrainerClients.connect(pointConfig, tokenizer)) {
        current = trainer;
        if (stopRequested) {
          return false;
        }
        trainer.run();
        current = null;
        if (trainer.step() < steps) {
          return false; // stopped; the next sweep resumes the point from its checkpoint
        }
      }
      record(point, pointConfig, (System.nanoTime() - start) / 1e9);
    }
    return true;
  }

  /** Stops the point being trained (after its last checkpoint) and starts no other. */
  public void stop() {
    stopRequested = true;
    ContinuousTrainer trainer = current;
    if (trainer != null) {
      trainer.stop();
    }
  }

  /** Measures the point's final checkpoint and appends its line to the runs file. */
  private void record(SweepPoint point, MillraceConfig pointConfig, double seconds)
      throws Exception {
    CheckpointStore.Restored restored = new CheckpointOptions().restore(pointConfig, tokenizer);
    String line;
    try (ModelTrainer model = restored.model()) {
      int batchSize = pointConfig.getInt(TrainerKeys.BATCH_SIZE);
      double loss = model.meanLoss(validationWindows(model), batchSize);
      line =
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%d,%d,%.6f,%d,%.1f",
              point.index(),
              point.runId(sweep),
              point.size(),
              model.model().config().parameterCount(),
              restored.state().tokensTrained(),
              loss,
              restored.state().step(),
              seconds);
    }
    append(line);
    out.printf("point %d: %s%n", point.index(), line);
    out.flush();
  }

  /** The fixed validation set, read once: the same tokens for every point. */
  private int[] validationWindows(ModelTrainer model) {
    if (validationWindows == null) {
      var properties = KafkaClientProperties.groupLessConsumer(config, "millrace-sweep");
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
        int[] tokens =
            ValidationSet.read(
                consumer,
                Topics.of(config).tokens(),
                tokenizer.fingerprint(),
                config.getInt(TrainerKeys.EVAL_TOKENS));
        validationWindows = ValidationSet.windows(tokens, model.model().config().blockSize());
      }
      if (validationWindows.length == 0) {
        throw new IllegalStateException(
            "the tokens topic holds no window of VALIDATION tokens to measure the sweep's runs on");
      }
    }
    return validationWindows;
  }

  /** Run ids already in the runs file. */
  private Set<String> finishedRunIds() throws IOException {
    Set<String> done = new HashSet<>();
    if (Files.exists(runsFile)) {
      for (RunsCsv.Row row : RunsCsv.rows(runsFile)) {
        done.add(row.fields().get("run_id"));
      }
    }
    return done;
  }

  /**
   * Appends a line under a file lock, with the header first in a new file, so that sweeps on one
   * machine (or on a shared file system that honours locks) can share a runs file.
   */
  private void append(String line) throws IOException {
    if (runsFile.toAbsolutePath().getParent() != null) {
      Files.createDirectories(runsFile.toAbsolutePath().getParent());
    }
    try (FileChannel channel =
            FileChannel.open(runsFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      String text = (channel.size() == 0 ? HEADER + "\n" : "") + line + "\n";
      channel.position(channel.size());
      channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
  }
}
