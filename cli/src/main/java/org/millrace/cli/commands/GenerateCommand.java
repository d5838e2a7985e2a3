package org.millrace.cli.commands;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.millrace.cli.Millrace;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.Tokenizer;
import org.millrace.tokenizer.Tokenizers;
import org.millrace.trainer.checkpoint.CheckpointStore;
import org.millrace.trainer.generate.TextSampler;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.optim.ModelTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace generate}: sample text from a checkpoint, as nanoGPT's sample.py. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    header = "Sample text from a checkpoint of a decoder (gpt, llama, hybrid).",
    description = {
      "Continues the prompt one token at a time: the model's next-token distribution, divided by"
          + " the",
      "temperature and cut to the top k tokens, sampled with a seeded generator (the same seed"
          + " gives the",
      "same text). Stops after --max-tokens or at the end-of-text token."
    })
public final class GenerateCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;
  @Mixin CheckpointOptions checkpoint;

  @Option(
      names = "--prompt",
      defaultValue = "",
      description = "Text to continue (default: nothing).")
  String prompt;

  @Option(names = "--max-tokens", defaultValue = "200", description = "Default: ${DEFAULT-VALUE}.")
  int maxTokens;

  @Option(names = "--temperature", defaultValue = "0.8", description = "Default: ${DEFAULT-VALUE}.")
  double temperature;

  @Option(
      names = "--top-k",
      defaultValue = "200",
      description = "Default: ${DEFAULT-VALUE}; 0 keeps every token.")
  int topK;

  @Option(names = "--seed", defaultValue = "1337", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("--temperature must be positive, not " + temperature);
    }
    MillraceConfig config = checkpoint.withTokenizerBeside(millrace.config());
    Tokenizer tokenizer = Tokenizers.load(config);
    CheckpointStore.Restored restored = checkpoint.restore(config, tokenizer);
    try (ModelTrainer model = restored.model()) {
      if (model.model().config().architecture() == Architecture.ENCODER) {
        throw new IllegalArgumentException(
            "checkpoint "
                + restored.path()
                + " is an encoder (masked language model): it does not generate text");
      }
      String text =
          new TextSampler(temperature, topK, seed)
              .continuation(model, tokenizer, prompt, maxTokens);
      PrintWriter out = spec.commandLine().getOut();
      out.println(prompt + text);
      out.flush();
    }
    return 0;
  }
}
