package org.millrace.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.trainer.model.GptConfig;
import org.millrace.trainer.optim.AdamWConfig;
import org.millrace.trainer.optim.LearningRateSchedule;
import org.millrace.trainer.optim.ModelTrainer;
import org.millrace.trainer.optim.OptimizerConfig;

/**
 * The scorer and the evaluator against log-likelihoods computed by hand, on a GPT whose weights the
 * test sets so that it is a bigram model: every block adds zero to the residual stream and the
 * positions embed to zero, so the logits at a position depend on its token alone.
 *
 * <p>Tokens a = 0, b = 1, end-of-text = 2 embed to (1, -1), (-1, 1), (1, -1), which the final
 * LayerNorm keeps (mean 0, variance 1); the head's rows (1, 0), (0, 0), (0, 1) turn them into the
 * logits (1, 0, -1) after a or end-of-text and (-1, 0, 1) after b. With Z = ln(e + 1 + 1/e), the
 * log-probabilities after a are 1 - Z, -Z, -1 - Z, and after b -1 - Z, -Z, 1 - Z.
 */
class LoglikelihoodScorerTest {

  static final double Z = Math.log(Math.E + 1 + 1 / Math.E);
  static final CharacterTokenizer AB =
      new CharacterTokenizer(new int[] {'a', 'b'}, List.of("<|endoftext|>"));

  static ModelTrainer bigram;

  @BeforeAll
  static void buildTheBigramModel() {
    OptimizerConfig optimization =
        new OptimizerConfig(
            AdamWConfig.gpt3(), new LearningRateSchedule(1e-3, 1e-4, 10, 200), 1.0f);
    // vocabulary 3, block size 4, one layer, one head, 2 wide, untied head
    bigram = new ModelTrainer(new GptConfig(3, 4, 1, 1, 2, false), optimization, 1);
    ModelTrainer.recordNoGraph();
    bigram
        .model()
        .namedParameters()
        .forEach(
            (name, parameter) -> {
              NDArray array = parameter.getArray();
              array.set(new NDIndex(":"), name.endsWith("gamma") ? 1f : 0f);
            });
    var parameters = bigram.model().namedParameters();
    parameters
        .get("tokenEmbedding")
        .getArray()
        .set(new NDIndex(":"), bigram.manager().create(new float[][] {{1, -1}, {-1, 1}, {1, -1}}));
    parameters
        .get("lmHead.weight")
        .getArray()
        .set(new NDIndex(":"), bigram.manager().create(new float[][] {{1, 0}, {0, 0}, {0, 1}}));
  }

  @AfterAll
  static void close() {
    bigram.close();
  }

  @Test
  void sumsTheContinuationsLogProbabilitiesAndSaysWhetherEachTokenWasTheArgmax() {
    LoglikelihoodScorer scorer = new LoglikelihoodScorer(bigram, 2);
    List<Loglikelihood> answers =
        scorer.score(
            List.of(
                // a | a b a: p(a|a) p(b|a) p(a|b)
                new LoglikelihoodRequest(new int[] {0}, new int[] {0, 1, 0}),
                // b b | eot a: p(eot|b) p(a|eot), both the argmax
                new LoglikelihoodRequest(new int[] {1, 1}, new int[] {2, 0}),
                // a | b
                new LoglikelihoodRequest(new int[] {0}, new int[] {1})),
            done -> {});

    assertThat(answers.get(0).logLikelihood()).isCloseTo((1 - Z) - Z + (-1 - Z), within(1e-4));
    assertThat(answers.get(0).greedy()).isFalse();
    assertThat(answers.get(1).logLikelihood()).isCloseTo(2 * (1 - Z), within(1e-4));
    assertThat(answers.get(1).greedy()).isTrue();
    assertThat(answers.get(2).logLikelihood()).isCloseTo(-Z, within(1e-4));
    assertThat(answers.get(2).greedy()).isFalse();
  }

  @Test
  void cutsAContextLongerThanTheBlockSizeFromTheLeft() {
    LoglikelihoodScorer scorer = new LoglikelihoodScorer(bigram, 8);
    // 7 tokens with block size 4: the model reads b b b a, and scores a after b then b after a
    List<Loglikelihood> answers =
        scorer.score(
            List.of(new LoglikelihoodRequest(new int[] {0, 0, 1, 1, 1}, new int[] {0, 1})),
            done -> {});

    assertThat(answers.get(0).logLikelihood()).isCloseTo((-1 - Z) + (-Z), within(1e-4));
  }

  @Test
  void refusesAContinuationLongerThanTheBlockSize() {
    LoglikelihoodScorer scorer = new LoglikelihoodScorer(bigram, 8);

    assertThatThrownBy(
            () ->
                scorer.score(
                    List.of(new LoglikelihoodRequest(new int[] {0}, new int[] {0, 0, 0, 0, 0})),
                    done -> {}))
        .hasMessageContaining("5 tokens does not fit the model's block size of 4");
  }

  @Test
  void accChoosesTheMostLikelyChoiceAndAccNormTheMostLikelyPerCharacter() {
    // after "a": "b" has log-likelihood -Z (-1.41, per character -1.41) and "aaaa" 4 (1 - Z)
    // (-1.63, per character -0.41): acc takes "b", acc_norm "aaaa"
    EvalTask task =
        new EvalTask(
            "hand",
            List.of(
                new MultipleChoiceExample("a", List.of("b", "aaaa"), 1, "", 1),
                new MultipleChoiceExample("a", List.of("b", "aaaa"), 0, "", 2),
                new MultipleChoiceExample("a", List.of("b", "aaaa", "bb"), 0, "", 3)));
    TaskEvaluator evaluator =
        new TaskEvaluator(AB, new LoglikelihoodScorer(bigram, 4), new FewShotSampler(0, 1));

    TaskScore score = evaluator.evaluate(task, done -> {});

    assertThat(score.examples()).isEqualTo(3);
    assertThat(score.acc()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(score.accNorm()).isCloseTo(1.0 / 3, within(1e-9));
    // sample standard deviation of (0, 1, 1) is 1/sqrt(3); over sqrt(3): 1/3
    assertThat(score.accStderr()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(score.chance()).isCloseTo((0.5 + 0.5 + 1.0 / 3) / 3, within(1e-9));
    assertThat(TaskEvaluator.requestCount(task)).isEqualTo(7);
  }

  @Test
  void aTargetIsRightWhenEveryTokenIsTheArgmaxAndItsPerplexityIsPerExample() {
    // after "b": eot then a are the argmax (right); after "a": "ab" is not (b is not the argmax)
    EvalTask task =
        new EvalTask(
            "cloze", List.of(new TargetExample("b", "aa", 1), new TargetExample("a", "ba", 2)));
    TaskEvaluator evaluator =
        new TaskEvaluator(AB, new LoglikelihoodScorer(bigram, 4), new FewShotSampler(0, 1));

    TaskScore score = evaluator.evaluate(task, done -> {});

    // "aa" after b: p(a|b) p(a|a) = (-1 - Z) + (1 - Z): not greedy (after b the argmax is eot)
    // "ba" after a: p(b|a) p(a|b) = -Z + (-1 - Z): not greedy
    double first = (-1 - Z) + (1 - Z);
    double second = -Z + (-1 - Z);
    assertThat(score.acc()).isZero();
    assertThat(score.perplexity()).isCloseTo(Math.exp(-(first + second) / 2), within(1e-3));
    assertThat(Double.isNaN(score.accNorm())).isTrue();
  }

  @Test
  void aGreedyTargetCountsAsRight() {
    // the empty context becomes end-of-text; after it a is the argmax, after a a again
    EvalTask task = new EvalTask("greedy", List.of(new TargetExample("", "aa", 1)));
    TaskEvaluator evaluator =
        new TaskEvaluator(AB, new LoglikelihoodScorer(bigram, 4), new FewShotSampler(0, 1));

    TaskScore score = evaluator.evaluate(task, done -> {});

    assertThat(score.acc()).isEqualTo(1.0);
    assertThat(score.perplexity()).isCloseTo(Math.exp(-2 * (1 - Z)), within(1e-3));
  }
}
