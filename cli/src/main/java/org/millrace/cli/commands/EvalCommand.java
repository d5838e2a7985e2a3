package org.millrace.cli.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.millrace.cli.Millrace;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.Tokenizers;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.stream.ValidationSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace eval}: the loss and perplexity of a checkpoint on files or on the validation
 * split.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    header = "Validation loss and perplexity of a checkpoint.",
    description = {
      "On --input files (read as 'tokenizer train' reads them, each document followed by"
          + " end-of-text),",
      "or else on the fixed validation set of the tokens topic (trainer.eval.tokens tokens of the",
      "VALIDATION split). The text is cut into windows of the model's block size, as in training."
    })
public final class EvalCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;
  @Mixin CheckpointOptions checkpoint;

  @Option(
      names = "--input",
      paramLabel = "PATH|topic:NAME",
      description = "Repeatable; default: the validation split.")
  List<String> inputs;

  @Option(names = "--batch-size", defaultValue = "8", description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    Tokenizer tokenizer = Tokenizers.load(config);
    int[] tokens = inputs == null ? validationSplit(config, tokenizer) : files(config, tokenizer);
    CheckpointStore.Restored restored = checkpoint.restore(config, tokenizer);
    try (ModelTrainer model = restored.model()) {
      int blockSize = model.model().config().blockSize();
      int[] windows = ValidationSet.windows(tokens, blockSize);
      int count = windows.length / (blockSize + 1);
      if (count == 0) {
        throw new IllegalArgumentException(
            tokens.length
                + " tokens to evaluate on: not one window of "
                + (blockSize + 1)
                + (inputs == null
                    ? " in the validation split of the tokens topic"
                    : " in the inputs"));
      }
      double loss = model.meanLoss(windows, batchSize);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "checkpoint %s (step %d): %,d tokens in %,d windows%n",
          restored.path(), restored.state().step(), (long) count * blockSize, count);
      out.printf("loss=%.4f perplexity=%.2f%n", loss, Math.exp(loss));
      out.flush();
    }
    return 0;
  }

  private int[] files(MillraceConfig config, Tokenizer tokenizer) throws Exception {
    CorpusTexts.check(inputs);
    List<int[]> documents = new ArrayList<>();
    new CorpusTexts(config)
        .forEach(
            inputs,
            text -> {
              int[] ids = tokenizer.encode(text);
              int[] withEnd = Arrays.copyOf(ids, ids.length + 1);
              withEnd[ids.length] = tokenizer.endOfTextId();
              documents.add(withEnd);
            });
    return documents.stream().flatMapToInt(Arrays::stream).toArray();
  }

  private int[] validationSplit(MillraceConfig config, Tokenizer tokenizer) {
    var properties = KafkaClientProperties.groupLessConsumer(config, "millrace-eval");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      return ValidationSet.read(
          consumer,
          Topics.of(config).tokens(),
          tokenizer.fingerprint(),
          config.getInt(TrainerKeys.EVAL_TOKENS));
    }
  }
}
