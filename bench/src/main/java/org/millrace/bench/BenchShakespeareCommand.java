package org.millrace.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.millrace.cli.commands.CheckpointOptions;
import org.millrace.cli.commands.CorpusTexts;
import org.millrace.cli.status.StatusReader;
import org.millrace.cli.status.StatusReport;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.Split;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.TokenizerKeys;
import org.millrace.tokenizer.Tokenizers;
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
      "iterations. The last line reads val_loss=<number>.",
      "",
      "With --tokenizer, the same model and budget on any corpus with that tokenizer (a BPE",
      "tokenizer.json from 'millrace tokenizer train'): --data and --validation are read as",
      "'tokenizer train' reads its inputs, one document at a time, each ended by end-of-text."
    })
public final class BenchShakespeareCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = {
        "The text: tinyshakespeare, 1.1 MB of Shakespeare's plays (public domain), the file",
        "data/tinyshakespeare/input.txt of the karpathy/char-rnn repository on GitHub. With",
        "--tokenizer: files and folders of documents (text, HTML, JSONL), several allowed."
      })
  List<Path> data;

  @Option(
      names = "--tokenizer",
      paramLabel = "FILE",
      description =
          "A tokenizer file (tokenizer.file) instead of the character tokenizer learned from the"
              + " text.")
  Path tokenizerFile;

  @Option(
      names = "--validation",
      arity = "1..*",
      paramLabel = "PATH",
      description = {
        "With --tokenizer: documents that validate, in an order shuffled with a fixed seed;",
        "--data then all trains. Default: the last 10%% of the --data text validates."
      })
  List<Path> validation;

  @Option(
      names = "--eval-tokens",
      paramLabel = "N",
      description = "Validate on the first N validation tokens. Default: all of them.")
  Integer evalTokens;

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
        "Copy the final checkpoint to DIR (a new folder), with its tokenizer as",
        "DIR/tokenizer.json, so that 'millrace eval --task ... --checkpoint DIR' can read it."
      })
  Path keepCheckpoint;

  @Override
  public Integer call() throws Exception {
    if (keepCheckpoint != null && Files.exists(keepCheckpoint)) {
      throw new IllegalArgumentException(
          keepCheckpoint.toAbsolutePath() + " exists: --keep-checkpoint names a new folder");
    }
    if (validation == null) {
      validation = List.of();
    }
    for (Path path : data) {
      if (!Files.exists(path)) {
        throw new IllegalArgumentException(
            path.toAbsolutePath()
                + " not found: --data names the tinyshakespeare text (input.txt of"
                + " karpathy/char-rnn's data/tinyshakespeare), or with --tokenizer documents");
      }
    }
    if (tokenizerFile == null && (data.size() != 1 || !validation.isEmpty())) {
      throw new IllegalArgumentException(
          "without --tokenizer, --data names one text file and there is no --validation");
    }
    PrintWriter out = spec.commandLine().getOut();
    MillraceConfig baseConfig = parent.millrace.config();
    Tokenizer tokenizer;
    int[] ids;
    int split;
    if (tokenizerFile == null) {
      ShakespeareText shakespeare = ShakespeareText.read(data.get(0));
      tokenizer = shakespeare.tokenizer;
      ids = shakespeare.ids;
      split = shakespeare.split;
      out.printf(
          "%,d characters, vocabulary %d (+1 end-of-text); train %,d tokens, validation %,d%n",
          shakespeare.text.length(), tokenizer.vocabularySize() - 1, split, ids.length - split);
    } else {
      tokenizer = Tokenizers.load(tokenizerFile, baseConfig.getString(TokenizerKeys.END_OF_TEXT));
      CorpusTexts.check(validation.stream().map(Path::toString).toList());
      List<String> trainDocuments = documents(baseConfig, data);
      List<String> validationDocuments = documents(baseConfig, validation);
      // The corpus is read folder by folder in file-name order; a fixed shuffle makes the first
      // --eval-tokens validation tokens a sample of every part of it rather than its first pages.
      Collections.shuffle(validationDocuments, new Random(1337));
      int[] trainIds = encode(tokenizer, trainDocuments);
      int[] validationIds = encode(tokenizer, validationDocuments);
      if (validation.isEmpty()) {
        ids = trainIds;
        split = (int) (ids.length * 0.9);
      } else {
        ids = new int[trainIds.length + validationIds.length];
        System.arraycopy(trainIds, 0, ids, 0, trainIds.length);
        System.arraycopy(validationIds, 0, ids, trainIds.length, validationIds.length);
        split = trainIds.length;
      }
      out.printf(
          "%,d training and %,d validation documents, vocabulary %d; train %,d tokens, validation"
              + " %,d%n",
          trainDocuments.size(),
          validationDocuments.size(),
          tokenizer.vocabularySize(),
          split,
          ids.length - split);
    }
    int validationTokens =
        evalTokens == null ? ids.length - split : Math.min(evalTokens, ids.length - split);

    Path dataDir = Files.createTempDirectory("millrace-shakespeare");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
      Path tokenizerPath = tokenizerFile;
      if (tokenizer instanceof CharacterTokenizer characters) {
        tokenizerPath = dataDir.resolve("chars.json");
        characters.write(tokenizerPath);
      }
      MillraceConfig config =
          baseConfig
              .with(ShakespeareText.trainerSettings(broker, dataDir, tokenizerPath))
              .with(
                  Map.ofEntries(
                      Map.entry(TrainerKeys.MODEL, "small"),
                      Map.entry(TrainerKeys.WARMUP_STEPS, "100"),
                      Map.entry(TrainerKeys.DECAY_STEPS, String.valueOf(iterations)),
                      Map.entry(TrainerKeys.MAX_STEPS, String.valueOf(iterations)),
                      Map.entry(
                          TrainerKeys.PROGRESS_INTERVAL_STEPS,
                          String.valueOf(Math.max(1, Math.min(250, iterations / 8)))),
                      Map.entry(TrainerKeys.CHECKPOINT_INTERVAL_STEPS, String.valueOf(iterations)),
                      Map.entry(TrainerKeys.EVAL_INTERVAL_STEPS, String.valueOf(iterations)),
                      Map.entry(TrainerKeys.EVAL_TOKENS, String.valueOf(validationTokens))));
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
                producer,
                topics.tokens(),
                tokenizer.fingerprint(),
                "millrace bench shakespeare-char");
        writer.send("validation", ids, split, ids.length, Split.VALIDATION);
        if (order == Order.random) {
          Random random = new Random(1337);
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
        keep(config, tokenizer, tokenizerPath, out);
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

  private static List<String> documents(MillraceConfig config, List<Path> paths)
      throws IOException {
    List<String> documents = new ArrayList<>();
    new CorpusTexts(config).forEach(paths.stream().map(Path::toString).toList(), documents::add);
    return documents;
  }

  /**
   * The documents' ids one after the other, each followed by end-of-text, as the trainer packs
   * them.
   */
  static int[] encode(Tokenizer tokenizer, List<String> documents) {
    List<int[]> encoded = tokenizer.encodeAll(documents);
    int[] ids = new int[encoded.stream().mapToInt(d -> d.length + 1).sum()];
    int at = 0;
    for (int[] document : encoded) {
      System.arraycopy(document, 0, ids, at, document.length);
      at += document.length;
      ids[at++] = tokenizer.endOfTextId();
    }
    return ids;
  }

  /** Copies the run's latest checkpoint and its tokenizer to {@code --keep-checkpoint}. */
  private void keep(MillraceConfig config, Tokenizer tokenizer, Path tokenizerPath, PrintWriter out)
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
    Files.copy(tokenizerPath, keepCheckpoint.resolve(CheckpointOptions.TOKENIZER_FILE));
    out.printf("checkpoint %s kept in %s%n", latest.getFileName(), keepCheckpoint);
  }
}
