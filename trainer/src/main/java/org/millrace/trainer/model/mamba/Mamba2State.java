package org.millrace.trainer.model.mamba;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What a {@link Mamba2Mixer} carries from one generated position to the next: the last K-1 inputs
 * of its convolution (B, K-1, convolved channels) and the SSM state (B, H, P, N). Its size does not
 * depend on how many positions came before: this is the mixer's constant-memory generation. The
 * arrays belong to the manager given at creation and are updated in place.
 */
public final class Mamba2State {

  private final NDArray window;
  private final NDArray ssm;

  /** A zero state for {@code batch} sequences, in {@code manager}. */
  public Mamba2State(Mamba2Settings settings, int batch, NDManager manager, DataType type) {
    window =
        manager.zeros(new Shape(batch, settings.convKernel() - 1, settings.convolvedDim()), type);
    ssm =
        manager.zeros(
            new Shape(batch, settings.heads(), settings.headDim(), settings.stateDim()), type);
  }

  /** The last K-1 inputs of the convolution. */
  public NDArray window() {
    return window;
  }

  /** The SSM state h. */
  public NDArray ssm() {
    return ssm;
  }

  /** Copies {@code newWindow} and {@code newSsm} into this state's arrays. */
  void update(NDArray newWindow, NDArray newSsm) {
    window.set(new NDIndex(":"), newWindow);
    ssm.set(new NDIndex(":"), newSsm);
  }

  /** Bytes held, whatever the number of positions seen. */
  public long bytes() {
    return (window.size() + ssm.size()) * window.getDataType().getNumOfBytes();
  }
}
