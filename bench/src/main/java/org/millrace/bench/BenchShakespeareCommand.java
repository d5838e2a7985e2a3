package org.millrace.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.millrace.cli.commands.CheckpointOptions;
import org.millrace.cli.status.StatusReader;
import org.millrace.cli.status.StatusReport;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.Split;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.trainer.ContinuousTrainer;
import org.millrace.trainer.TrainerClients;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.TrainerSettings;
import org.millrace.trainer.checkpoint.CheckpointStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench shakespeare-char}: nanoGPT's "baby GPT" on tinyshakespeare at character
 * level, trained through the token topic, to compare with nanoGPT's published validation loss.
 */
@Command(
    name = "shakespeare-char",
    mixinStandardHelpOptions = true,
    header = "nanoGPT's character-level Shakespeare model, through the token topic.",
    description = {
      "As nanoGPT's config/train_shakespeare_char.py, without dropout: 4 layers, 4 heads, 128"
          + " wide,",
      "block 64, batch 12, learning rate 1e-3 decayed to 1e-4 over the iterations after 100"
          + " warm-up",
      "iterations, beta2 0.99, weight decay 0.1, clipping 1.0; the first 90%% of the text trains,"
          + " the last",
      "10%% validates. The text is written to the tokens topic of an embedded broker (TRAIN and"
          + " VALIDATION",
      "records) and the trainer reads it from there. nanoGPT's README: validation loss 1.88 after"
          + " 2000",
      "iterations. The last line reads val_loss=<number>."
    })
public final class BenchShakespeareCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description =
          "The text: tinyshakespeare, 1.1 MB of Shakespeare's plays (public domain), the file"
              + " data/tinyshakespeare/input.txt of the karpathy/char-rnn repository on GitHub.")
  Path data;

  @Option(names = "--iterations", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}.")
  int iterations;

  /** How the training text goes to the topic. */
  enum Order {
    /** Pieces of one window at random offsets, as nanoGPT's get_batch samples them. */
    random,
    /** The whole text in order, as many times as the iterations need. */
    sequential
  }

  @Option(
      names = "--order",
      defaultValue = "random",
      description = {
        "random: the training text goes to the topic as 64-character pieces from random offsets,"
            + " one",
        "window each, so that batches are drawn from anywhere in the text as nanoGPT draws them"
            + " (the",
        "last target of each window is the first character of the next piece); sequential: the"
            + " text",
        "in order, epoch after epoch. Default: ${DEFAULT-VALUE}."
      })
  Order order;

  @Option(
      names = "--keep-checkpoint",
      paramLabel = "DIR",
      description = {
        "Copy the final checkpoint to DIR (a new folder), with the character tokenizer as",
        "DIR/tokenizer.json, so that 'millrace eval --task ... --checkpoint DIR' can read it."
      })
  Path keepCheckpoint;

  @Override
  public Integer call() throws Exception {
    if (keepCheckpoint != null && Files.exists(keepCheckpoint)) {
      throw new IllegalArgumentException(
          keepCheckpoint.toAbsolutePath() + " exists: --keep-checkpoint names a new folder");
    }
    PrintWriter out = spec.commandLine().getOut();
    ShakespeareText shakespeare = ShakespeareText.read(data);
    CharacterTokenizer tokenizer = shakespeare.tokenizer;
    int[] ids = shakespeare.ids;
    int split = shakespeare.split;
    out.printf(
        "%,d characters, vocabulary %d (+1 end-of-text); train %,d tokens, validation %,d%n",
        shakespeare.text.length(), tokenizer.vocabularySize() - 1, split, ids.length - split);

    Path dataDir = Files.createTempDirectory("millrace-shakespeare");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
      MillraceConfig config =
          parent
              .millrace
              .config()
              .with(shakespeare.trainerSettings(broker, dataDir))
              .with(
                  Map.ofEntries(
                      Map.entry(TrainerKeys.MODEL, "small"),
                      Map.entry(TrainerKeys.WARMUP_STEPS, "100"),
                      Map.entry(TrainerKeys.DECAY_STEPS, String.valueOf(iterations)),
                      Map.entry(TrainerKeys.MAX_STEPS, String.valueOf(iterations)),
                      Map.entry(TrainerKeys.PROGRESS_INTERVAL_STEPS, "250"),
                      Map.entry(TrainerKeys.CHECKPOINT_INTERVAL_STEPS, String.valueOf(iterations)),
                      Map.entry(TrainerKeys.EVAL_INTERVAL_STEPS, String.valueOf(iterations)),
                      Map.entry(TrainerKeys.EVAL_TOKENS, String.valueOf(ids.length - split))));
      Topics topics = Topics.of(config);
      try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
        TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
      }
      // nanoGPT samples windows at random, with replacement; a stream is read once, so the training
      // text goes to the topic as the iterations need it: random pieces, or whole epochs.
      long needed = (long) iterations * 12 * 64 + 1;
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(KafkaClientProperties.producer(config, "bench"))) {
        TokenTopicWriter writer =
            new TokenTopicWriter(
                producer, topics.tokens(), tokenizer.fingerprint(), "tinyshakespeare");
        writer.send("validation", ids, split, ids.length, Split.VALIDATION);
        if (order == Order.random) {
          java.util.Random random = new java.util.Random(1337);
          long pieces = (needed + 63) / 64;
          for (long piece = 0; piece < pieces; piece++) {
            int start = random.nextInt(split - 64);
            writer.send("train-piece-" + piece, ids, start, start + 64, Split.TRAIN);
          }
          out.printf(
              "training text written as %,d random 64-character pieces for %d iterations%n",
              pieces, iterations);
        } else {
          int epochs = (int) ((needed + split - 1) / split);
          for (int epoch = 0; epoch < epochs; epoch++) {
            writer.send("train-epoch-" + epoch, ids, 0, split, Split.TRAIN);
          }
          out.printf(
              "training text written %d times (epochs) for %d iterations%n", epochs, iterations);
        }
      }

      long start = System.nanoTime();
      try (ContinuousTrainer trainer = TrainerClients.connect(config, tokenizer)) {
        trainer.run();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      StatusReport.Trainer last = new StatusReader(config).read().trainer();
      if (keepCheckpoint != null) {
        keep(config, tokenizer, out);
      }
      out.printf(
          "RESULT millrace shakespeare-char order=%s iterations=%d wall=%.0fs train_loss=%.4f"
              + " val_loss=%.4f%n",
          order, last.step(), seconds, last.latestLoss(), last.validationLoss());
      out.flush();
    } finally {
      StageBenchmark.deleteScratch(dataDir);
    }
    return 0;
  }

  /** Copies the run's latest checkpoint and the tokenizer to {@code --keep-checkpoint}. */
  private void keep(MillraceConfig config, CharacterTokenizer tokenizer, PrintWriter out)
      throws IOException {
    Path checkpoints = TrainerSettings.from(config, tokenizer).checkpointDirectory();
    Path latest =
        new CheckpointStore(checkpoints, 1)
            .latest()
            .orElseThrow(() -> new IllegalStateException("the run wrote no checkpoint"));
    Files.createDirectories(keepCheckpoint);
    try (Stream<Path> files = Files.list(latest)) {
      for (Path file : files.toList()) {
        Files.copy(file, keepCheckpoint.resolve(file.getFileName()));
      }
    }
    tokenizer.write(keepCheckpoint.resolve(CheckpointOptions.TOKENIZER_FILE));
    out.printf("checkpoint %s kept in %s%n", latest.getFileName(), keepCheckpoint);
  }
}
