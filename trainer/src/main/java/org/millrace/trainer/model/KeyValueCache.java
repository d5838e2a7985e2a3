package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The keys (rotated) and values of every position an attention layer has seen during generation, so
 * that each new position computes its own only: (B, kvHeads, capacity, headDim) each, allocated
 * once in the given manager and filled in place. Its memory grows with the context, the KV cache's
 * known cost, which the hybrid's SSM side does not pay.
 */
final class KeyValueCache implements LayerState {

  private final NDArray keys;
  private final NDArray values;
  private final long capacity;
  private long length;

  KeyValueCache(
      NDManager manager, int batch, int kvHeads, int capacity, int headDim, DataType type) {
    Shape shape = new Shape(batch, kvHeads, capacity, headDim);
    keys = manager.zeros(shape, type);
    values = manager.zeros(shape, type);
    this.capacity = capacity;
  }

  /** Positions held. */
  long length() {
    return length;
  }

  /**
   * Appends one position's key and value, each (B, kvHeads, 1, headDim), and returns the keys and
   * values of all positions so far, views of this cache.
   */
  NDList append(NDArray key, NDArray value) {
    if (length == capacity) {
      throw new IllegalStateException("the KV cache holds " + capacity + " positions, no more");
    }
    NDIndex next = new NDIndex(":, :, {}:{}, :", length, length + 1);
    keys.set(next, key);
    values.set(next, value);
    length++;
    NDIndex seen = new NDIndex(":, :, :{}, :", length);
    NDManager manager = key.getManager();
    return new NDList(keys.get(manager, seen), values.get(manager, seen));
  }

  /** Bytes held by the filled positions. */
  @Override
  public long bytes() {
    return 2 * keys.size() / capacity * length * keys.getDataType().getNumOfBytes();
  }
}
