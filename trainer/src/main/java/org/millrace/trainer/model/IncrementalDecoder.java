package org.millrace.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * A decoder that generates one position at a time from what it kept of the previous ones (a KV
 * cache, an SSM state), instead of running the whole context again for every new token. {@link
 * #nextLogits} at position t equals the logits of position t of a full forward pass over the same
 * tokens.
 */
public interface IncrementalDecoder {

  /** What a decoder keeps between positions; its arrays live until it is closed. */
  interface State extends AutoCloseable {

    /** Positions seen so far. */
    long length();

    /** Bytes of the arrays kept, for measuring generation's memory. */
    long bytes();

    @Override
    void close();
  }

  /**
   * An empty state for {@code batch} sequences of at most the model's block size, its arrays in a
   * child of {@code manager}.
   */
  State newState(NDManager manager, int batch);

  /**
   * The logits (B, vocabSize) of the token after {@code ids} (B, 1), the next position of each
   * sequence, which it adds to {@code state}. Call it without gradient recording.
   */
  NDArray nextLogits(ParameterStore parameterStore, NDArray ids, State state);
}
