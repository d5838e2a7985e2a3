package org.millrace.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.tokenizer.bpe.BpeModel;
import org.millrace.tokenizer.bpe.BpeTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace tokenizer train}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Train a byte-level BPE (or a character) tokenizer on files or a topic.",
    description = {
      "Byte-level BPE as GPT-2's (its pre-tokenisation, every byte reachable), written as a Hugging"
          + " Face",
      "tokenizer.json that DJL and the Python tokenizers library load; or, with --type char,"
          + " nanoGPT's",
      "character-level vocabulary (the sorted set of characters). Inputs: text, HTML and JSONL"
          + " files,",
      "folders, and topic:NAME for the clean documents of a topic (topic:docs.unique). Use the"
          + " result",
      "with tokenizer.file."
    })
public final class TokenizerTrainCommand implements Callable<Integer> {

  @ParentCommand TokenizerCommand parent;
  @Spec CommandSpec spec;

  @Mixin CorpusInputs corpus;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the tokenizer.")
  Path out;

  @Option(
      names = "--type",
      defaultValue = "bpe",
      description = "bpe or char (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(
      names = "--vocab-size",
      defaultValue = "8192",
      paramLabel = "N",
      description = "BPE vocabulary size, special tokens included (default: ${DEFAULT-VALUE}).")
  int vocabularySize;

  @Option(
      names = "--special-tokens",
      split = ",",
      paramLabel = "TOKEN",
      defaultValue = "<|endoftext|>,<|pad|>,<|mask|>",
      description = "Comma-separated; the first ends every document (default: ${DEFAULT-VALUE}).")
  List<String> specialTokens;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = parent.millrace.config();
    PrintWriter report = spec.commandLine().getOut();
    long started = System.nanoTime();
    long[] characters = {0, 0};
    switch (type) {
      case "bpe" -> {
        BpeTrainer trainer = new BpeTrainer(vocabularySize, specialTokens);
        corpus.forEach(
            config,
            text -> {
              trainer.add(text);
              characters[0] += text.length();
              characters[1]++;
            });
        BpeModel model = trainer.train();
        model.write(out);
        report.printf(
            "Trained a byte-level BPE of %,d ids (%,d merges) on %,d documents, %,d characters, in"
                + " %.1f s: %s%n",
            model.vocabularySize(),
            model.merges().size(),
            characters[1],
            characters[0],
            (System.nanoTime() - started) / 1e9,
            out);
      }
      case "char" -> {
        TreeSet<Integer> codePoints = new TreeSet<>();
        corpus.forEach(
            config,
            text -> {
              text.codePoints().forEach(codePoints::add);
              characters[0] += text.length();
              characters[1]++;
            });
        CharacterTokenizer tokenizer =
            new CharacterTokenizer(
                codePoints.stream().mapToInt(Integer::intValue).toArray(), specialTokens);
        tokenizer.write(out);
        report.printf(
            "Wrote a character tokenizer of %,d ids from %,d documents, %,d characters: %s%n",
            tokenizer.vocabularySize(), characters[1], characters[0], out);
      }
      default ->
          throw new IllegalArgumentException("--type must be bpe or char, not '" + type + "'");
    }
    report.flush();
    return 0;
  }
}
