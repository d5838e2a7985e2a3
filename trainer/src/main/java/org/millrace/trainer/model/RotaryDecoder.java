package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.function.Supplier;

/**
 * A decoder whose positions enter as rotations of queries and keys ({@link RotaryEmbedding}), as
 * Llama's: the token embedding alone feeds the stream, and every block reads the angles of its
 * positions, computed once per forward pass (Meta's {@code freqs_cis}). {@link Llama} and {@link
 * Hybrid} differ in their block only. It generates one position at a time.
 */
abstract sealed class RotaryDecoder extends LanguageModel implements IncrementalDecoder
    permits Llama, Hybrid {

  private final RotaryEmbedding rotary;

  /**
   * Builds the stack of {@code config} with blocks made by {@code newBlock}, whose attention heads
   * are {@code headDim} wide.
   */
  RotaryDecoder(
      ModelConfig config,
      Supplier<? extends ResidualBlock> newBlock,
      Block finalNorm,
      int headDim,
      double ropeTheta) {
    super(config, newBlock, finalNorm);
    rotary = new RotaryEmbedding(headDim, ropeTheta);
  }

  @Override
  NDList withPositions(
      ParameterStore parameterStore,
      NDManager manager,
      NDArray tokens,
      long start,
      boolean training) {
    int length = (int) tokens.getShape().get(1);
    return new NDList(tokens).addAll(rotary.angles(manager, start, length));
  }
}
