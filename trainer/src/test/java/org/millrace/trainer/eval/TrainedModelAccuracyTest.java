package org.millrace.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;

/**
 * The evaluation measures what a model learnt: a tiny character-level GPT trained for a few hundred
 * steps (10 s of one CPU thread on an idle machine, 45 s on a loaded one) on sentences whose verbs
 * agree with their subjects tells agreeing sentences from disagreeing ones it never saw
 * (BLiMP-style pairs of subject and verb combinations held out of training), while the same model
 * untrained is at chance.
 */
class TrainedModelAccuracyTest {

  static final String[][] NOUNS = {
    {"cat", "cats"},
    {"dog", "dogs"},
    {"bird", "birds"},
    {"horse", "horses"},
    {"king", "kings"},
    {"girl", "girls"}
  };
  static final String[][] VERBS = {
    {"runs", "run"},
    {"sleeps", "sleep"},
    {"sings", "sing"},
    {"eats", "eat"},
    {"jumps", "jump"},
    {"walks", "walk"}
  };
  static final int STEPS = 200;

  /** A (noun, verb) combination is held out of training when their indices sum to 0 mod 3. */
  static boolean heldOut(int noun, int verb) {
    return (noun + verb) % 3 == 0;
  }

  static String sentence(int noun, int verb, boolean plural, boolean agreeing) {
    String subject = NOUNS[noun][plural ? 1 : 0];
    String predicate = VERBS[verb][plural == agreeing ? 1 : 0];
    return "The " + subject + " " + predicate + ".";
  }

  @Test
  void aTrainedModelIsWellAboveChanceAndAnUntrainedOneAtChance(@TempDir Path folder)
      throws IOException {
    // the held-out pairs, as a BLiMP task file
    List<String> records = new ArrayList<>();
    for (int noun = 0; noun < NOUNS.length; noun++) {
      for (int verb = 0; verb < VERBS.length; verb++) {
        if (heldOut(noun, verb)) {
          for (boolean plural : new boolean[] {false, true}) {
            records.add(
                String.format(
                    "{\"sentence_good\": \"%s\", \"sentence_bad\": \"%s\"}",
                    sentence(noun, verb, plural, true), sentence(noun, verb, plural, false)));
          }
        }
      }
    }
    Path file = folder.resolve("agreement.jsonl");
    Files.write(file, records);
    EvalTask task = EvalTask.load(file.toString());

    // the training text: agreeing sentences of the other combinations, each after end-of-text
    CharacterTokenizer tokenizer =
        CharacterTokenizer.train("T abcdefghijklmnopqrstuvwxyz.", List.of("<|endoftext|>"));
    Random random = new Random(7);
    List<Integer> corpus = new ArrayList<>();
    while (corpus.size() < 60_000) {
      int noun = random.nextInt(NOUNS.length);
      int verb = random.nextInt(VERBS.length);
      if (heldOut(noun, verb)) {
        continue;
      }
      corpus.add(tokenizer.endOfTextId());
      for (int id : tokenizer.encode(sentence(noun, verb, random.nextBoolean(), true))) {
        corpus.add(id);
      }
    }

    OptimizerConfig optimization =
        new OptimizerConfig(
            AdamWConfig.gpt3(), new LearningRateSchedule(3e-3, 3e-4, 20, STEPS), 1.0f);
    GptConfig config = GptConfig.tiny(tokenizer.vocabularySize()).withBlockSize(32);
    try (ModelTrainer model = new ModelTrainer(config, optimization, 1)) {
      TaskEvaluator evaluator =
          new TaskEvaluator(
              tokenizer, new LoglikelihoodScorer(model, 16), new FewShotSampler(0, 1));
      TaskScore untrained = evaluator.evaluate(task, done -> {});

      int rows = 16;
      int window = 33;
      for (int step = 0; step < STEPS; step++) {
        int[] windows = new int[rows * window];
        for (int row = 0; row < rows; row++) {
          int start = random.nextInt(corpus.size() - window);
          for (int i = 0; i < window; i++) {
            windows[row * window + i] = corpus.get(start + i);
          }
        }
        model.step(windows, rows);
      }
      TaskScore trained = evaluator.evaluate(task, done -> {});

      assertThat(task.examples()).hasSize(24);
      assertThat(untrained.chance()).isEqualTo(0.5);
      // untrained, the shorter sentence wins: the good one for plural subjects, the bad one for
      // singular ones, half the pairs
      assertThat(untrained.acc()).isBetween(0.3, 0.7);
      // 23 of 24 when measured
      assertThat(trained.acc()).isGreaterThanOrEqualTo(0.85);
    }
  }
}
