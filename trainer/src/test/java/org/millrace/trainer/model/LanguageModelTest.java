package org.millrace.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.millrace.trainer.NdManagerTest;

/** What the tests of the language models share: an initialized model, its logits, token ids. */
abstract class LanguageModelTest extends NdManagerTest {

  /** {@code model} with its parameters initialized from {@code seed}. */
  protected <M extends LanguageModel> M initialized(M model, int seed) {
    model.initializeParameters(manager, seed);
    return model;
  }

  /** The logits of {@code model}, not training, on {@code ids} cut into {@code batch} rows. */
  protected NDArray logits(LanguageModel model, long[] ids, int batch) {
    NDArray input = manager.create(ids, new Shape(batch, ids.length / batch));
    return model
        .forward(new ParameterStore(manager, false), new NDList(input), false)
        .singletonOrThrow();
  }

  /**
   * Changing the token at position 9 of 16 random ids below {@code vocab} leaves the logits of the
   * positions before it exactly as they were, and changes the logits from it on.
   */
  protected void assertCausal(LanguageModel model, int vocab) {
    assertCausal(model, vocab, 0);
  }

  /**
   * As {@link #assertCausal(LanguageModel, int)}, the logits of the earlier positions within {@code
   * tolerance} of what they were.
   */
  protected void assertCausal(LanguageModel model, int vocab, float tolerance) {
    long[] ids = randomIds(16, vocab, 2);
    long[] changed = ids.clone();
    int t = 9;
    changed[t] = (ids[t] + 1) % vocab;

    NDArray before = logits(model, ids, 1);
    NDArray after = logits(model, changed, 1);

    NDIndex earlier = new NDIndex(":, :{}, :", t);
    NDIndex fromT = new NDIndex(":, {}:, :", t);
    assertThat(after.get(earlier).sub(before.get(earlier)).abs().max().getFloat())
        .isLessThanOrEqualTo(tolerance);
    assertThat(after.get(fromT).toFloatArray()).isNotEqualTo(before.get(fromT).toFloatArray());
  }

  /** Fails unless {@code config} counts as many parameter values as its model, built, holds. */
  protected void assertParameterCountIsTheValuesItsModelHolds(ModelConfig config) {
    LanguageModel model = initialized(config.newModel(), 1);
    long values =
        model.namedParameters().values().stream()
            .mapToLong(parameter -> parameter.getArray().size())
            .sum();
    assertThat(config.parameterCount()).as(config.toString()).isEqualTo(values);
  }

  /** The standard deviation of the values of {@code model}'s parameter {@code name}. */
  protected static float std(LanguageModel model, String name) {
    NDArray array = model.namedParameters().get(name).getArray();
    return array.sub(array.mean()).square().mean().sqrt().getFloat();
  }

  /** {@code count} token ids below {@code vocab}, drawn from {@code seed}. */
  protected static long[] randomIds(int count, int vocab, long seed) {
    return new Random(seed).longs(count, 0, vocab).toArray();
  }
}
