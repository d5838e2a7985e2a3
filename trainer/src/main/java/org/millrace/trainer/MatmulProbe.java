package org.millrace.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Measures the engine's fp32 matrix multiplication rate at start-up: the denominator of MFU when no
 * peak is configured. Not the hardware's datasheet peak, but what this engine reaches on this machine
 * for a large square matmul (docs/djl.md: about 143-184 GFLOP/s on the 2-core VMs here), so
 * MFU says how much of the achievable rate the model's step uses.
 */
final class MatmulProbe {

  private static final int SIZE = 1024;
  private static final int REPEATS = 8;

  private MatmulProbe() {}

  /** FLOP/s of the fastest of a few 1024x1024 fp32 matmuls. */
  static double measureFlops() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomNormal(new Shape(SIZE, SIZE));
      NDArray b = manager.randomNormal(new Shape(SIZE, SIZE));
      a.matMul(b).close(); // warm-up: thread pools, first-call allocation
      long best = Long.MAX_VALUE;
      for (int i = 0; i < REPEATS; i++) {
        long start = System.nanoTime();
        try (NDArray product = a.matMul(b)) {
          product.getFloat(0, 0); // wait for the result
        }
        best = Math.min(best, System.nanoTime() - start);
      }
      return 2.0 * SIZE * SIZE * SIZE / (best / 1e9);
    }
  }
}
