package org.millrace.trainer.model;

/**
 * What one {@link ResidualBlock} keeps from one generated position to the next: a {@link
 * KeyValueCache}, a Mamba-2 state. Its arrays belong to the manager it was created in.
 */
interface LayerState {

  /** Bytes of the arrays kept, for measuring generation's memory. */
  long bytes();
}
