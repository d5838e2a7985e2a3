package org.millrace.trainer.model;

import java.util.SplittableRandom;

/**
 * BERT's masked language modelling (Devlin et al. 2019, arXiv:1810.04805, section 3.1), as Hugging
 * Face's {@code DataCollatorForLanguageModeling}: each token is selected with probability 15%; a
 * selected token is replaced by the mask token 80% of the time, by a token drawn uniformly from the
 * vocabulary 10% of the time, and left as it is 10% of the time; the model predicts the original
 * token at the selected positions only, and the loss counts those positions only.
 *
 * <p>The model reads the first T ids of each window of T+1, so that a sequence never exceeds the
 * block size the trainer's windows are cut for; the last id of each window is not used.
 *
 * <p>The masks are drawn from a generator seeded by {@code (seed, draw)} alone, and the trainer's
 * draw for a step is the optimizer's step count: a run resumed from a checkpoint masks each step as
 * the uninterrupted run did, with no generator state to save.
 *
 * @param vocabSize the range of the random replacement tokens, {@code [0, vocabSize)}
 * @param maskTokenId the tokenizer's mask token
 */
public record MaskedLanguageModelling(int vocabSize, int maskTokenId) implements TrainingObjective {

  /** Share of tokens selected for prediction (BERT, section 3.1). */
  public static final double SELECT_PROBABILITY = 0.15;

  /** Share of the selected tokens replaced by the mask token (BERT, section 3.1). */
  public static final double MASK_PROBABILITY = 0.8;

  /**
   * Share of the selected tokens replaced by a random token; the rest, also 10%, are kept. As the
   * mask token never appears in fine-tuning, BERT keeps some targets visible and corrupts others so
   * that the model must represent every input token well (section 3.1, ablated in appendix C.2).
   */
  public static final double RANDOM_PROBABILITY = 0.1;

  @Override
  public TokenBatch batch(int[] windows, int rows, long seed, long draw) {
    long[] targets = TrainingObjective.positions(windows, rows, 0);
    long[] inputs = targets.clone();
    float[] selected = new float[targets.length];

    SplittableRandom random = new SplittableRandom(streamSeed(seed, draw));
    boolean any = false;
    for (int position = 0; position < targets.length; position++) {
      if (random.nextDouble() < SELECT_PROBABILITY) {
        corrupt(position, inputs, selected, random);
        any = true;
      }
    }
    if (!any) {
      // a batch with nothing to predict would have a loss of 0/0: predict one position instead
      corrupt(random.nextInt(targets.length), inputs, selected, random);
    }
    return new TokenBatch(inputs, targets, selected, rows, targets.length / rows);
  }

  private void corrupt(int position, long[] inputs, float[] selected, SplittableRandom random) {
    selected[position] = 1f;
    double replacement = random.nextDouble();
    if (replacement < MASK_PROBABILITY) {
      inputs[position] = maskTokenId;
    } else if (replacement < MASK_PROBABILITY + RANDOM_PROBABILITY) {
      inputs[position] = random.nextInt(vocabSize);
    }
  }

  /**
   * One generator seed per {@code (seed, draw)}: seed times the golden-ratio constant plus draw,
   * through SplitMix64's finaliser (Steele, Lea and Flood 2014), so that neighbouring seeds and
   * draws get unrelated streams.
   */
  static long streamSeed(long seed, long draw) {
    long z = seed * 0x9E3779B97F4A7C15L + draw;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
