package org.millrace.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.millrace.cli.Millrace;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.Topics;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.Tokenizers;
import org.millrace.trainer.TrainerKeys;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.eval.EvalTask;
import org.millrace.trainer.eval.FewShotSampler;
import org.millrace.trainer.eval.LoglikelihoodScorer;
import org.millrace.trainer.eval.TaskEvaluator;
import org.millrace.trainer.eval.TaskScore;
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
 * split, or its accuracy on benchmark tasks ({@code --task}, docs/evaluation.md).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    header = "Validation loss and perplexity of a checkpoint, or its accuracy on benchmark tasks.",
    description = {
      "On --input files (read as 'tokenizer train' reads them, each document followed by"
          + " end-of-text),",
      "or else on the fixed validation set of the tokens topic (trainer.eval.tokens tokens of the",
      "VALIDATION split). The text is cut into windows of the model's block size, as in training.",
      "",
      "With --task: multiple-choice or single-target (LAMBADA) accuracy, scored as"
          + " lm-evaluation-harness",
      "scores it (docs/evaluation.md). Each task's last lines read acc=<number> and, for"
          + " multiple choice,",
      "acc_norm=<number>."
    })
public final class EvalCommand implements Callable<Integer> {

  /** Tasks with fewer log-likelihood requests than this finish too fast for a progress bar. */
  private static final int PROGRESS_BAR_REQUESTS = 200;

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

  @Option(
      names = "--task",
      paramLabel = "NAME|FILE",
      description = {
        "Repeatable: a JSONL task file (HellaSwag, ARC, PIQA, BLiMP, LAMBADA or {context,"
            + " choices, gold}",
        "records) or a shipped task: shakespeare-cloze, agreement-pairs."
      })
  List<String> tasks;

  @Option(
      names = "--shots",
      defaultValue = "0",
      description = "Solved examples before each one (few-shot). Default: ${DEFAULT-VALUE}.")
  int shots;

  @Option(
      names = "--seed",
      defaultValue = "1234",
      description = "Seed of the few-shot draw (the harness's). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Only the first N examples of each task; 0: all. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--report", paramLabel = "FILE", description = "Writes the scores as JSON.")
  Path report;

  @Override
  public Integer call() throws Exception {
    if (tasks != null) {
      return evaluateTasks();
    }
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

  private int evaluateTasks() throws Exception {
    if (inputs != null) {
      throw new IllegalArgumentException("--task and --input do not go together");
    }
    // every task file is read (and checked) before the model is loaded
    List<EvalTask> loaded = new ArrayList<>();
    for (String task : tasks) {
      loaded.add(EvalTask.load(task).limit(limit));
    }
    MillraceConfig config = checkpoint.withTokenizerBeside(millrace.config());
    Tokenizer tokenizer = Tokenizers.load(config);
    CheckpointStore.Restored restored = checkpoint.restore(config, tokenizer);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<TaskScore> scores = new ArrayList<>();
    try (ModelTrainer model = restored.model()) {
      TaskEvaluator evaluator =
          new TaskEvaluator(
              tokenizer,
              new LoglikelihoodScorer(model, batchSize),
              new FewShotSampler(shots, seed));
      out.printf("checkpoint %s (step %d)%n", restored.path(), restored.state().step());
      for (EvalTask task : loaded) {
        int requests = TaskEvaluator.requestCount(task);
        // a bar only where there is something to wait for
        IntConsumer progress =
            requests >= PROGRESS_BAR_REQUESTS
                ? new ProgressBar(err, requests, "requests (" + task.name() + ")")
                : done -> {};
        TaskScore score = evaluator.evaluate(task, progress);
        scores.add(score);
        print(out, score);
      }
    }
    if (report != null) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("checkpoint", restored.path().toString());
      json.put("step", restored.state().step());
      json.put("shots", shots);
      json.put("seed", seed);
      json.put("tasks", scores.stream().map(TaskScore::toJson).toList());
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(report.toFile(), json);
    }
    return 0;
  }

  /**
   * A task's scores; its last lines are {@code acc=} and, for multiple choice, {@code acc_norm=}.
   */
  private void print(PrintWriter out, TaskScore score) {
    out.printf(
        "task %s: %,d examples, %d shots%s%n",
        score.task(),
        score.examples(),
        shots,
        score.multipleChoice() ? String.format(", chance %.4f", score.chance()) : "");
    out.printf("  acc       %.4f ± %.4f%n", score.acc(), score.accStderr());
    if (score.multipleChoice()) {
      out.printf("  acc_norm  %.4f ± %.4f%n", score.accNorm(), score.accNormStderr());
    } else {
      out.printf("  perplexity of the target %.3f%n", score.perplexity());
    }
    out.printf("acc=%.4f%n", score.acc());
    if (score.multipleChoice()) {
      out.printf("acc_norm=%.4f%n", score.accNorm());
    }
    out.flush();
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
