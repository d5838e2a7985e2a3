package org.millrace.trainer.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LanguageModel}'s generation state: one {@link LayerState} per block (KV caches, SSM
 * states) and the number of positions seen, its arrays in a manager of its own.
 */
final class DecoderState implements IncrementalDecoder.State {

  private final NDManager manager;
  private final List<LayerState> layers = new ArrayList<>();
  private long length;

  DecoderState(
      NDManager parent, List<ResidualBlock> blocks, int batch, int capacity, DataType type) {
    manager = parent.newSubManager();
    for (ResidualBlock block : blocks) {
      layers.add(block.newState(manager, batch, capacity, type));
    }
  }

  /** The state of block {@code i}. */
  LayerState layer(int i) {
    return layers.get(i);
  }

  /** Counts one more position, which every layer has taken in. */
  void advance() {
    length++;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public long bytes() {
    return layers.stream().mapToLong(LayerState::bytes).sum();
  }

  @Override
  public void close() {
    manager.close();
  }
}
