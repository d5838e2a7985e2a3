package org.millrace.trainer.diloco;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, from the sync topic's records in log order alone, when a round closes and with which
 * contributions, so that every worker that reads the same log applies the same outer step:
 *
 * <ol>
 *   <li>A worker's contribution counts once all its chunks (of one attempt) have been read; its
 *       place in the round is the offset of its last chunk. A second contribution of the same
 *       worker (a restarted worker sending its round again) is passed over.
 *   <li>The round closes at the K-th contribution, with the K contributions.
 *   <li>Or it closes at the first {@link SyncRecord.RoundClose} of the round that has at least the
 *       quorum of contributions complete before it, with those. A worker writes one only after its
 *       timeout passed and it saw the quorum, so when two workers time out at once both markers are
 *       valid and the first in the log decides: every reader sees the same first one.
 *   <li>Everything of the round after its close (a late contribution, another marker) is passed
 *       over; the late worker applies the round as the others did.
 * </ol>
 *
 * Records of other runs and of earlier rounds are passed over. A record of a later round before
 * this one closed cannot be written by a worker of this format (it writes round r + 1 only after
 * reading round r's close), so it means the log lost the close: retention deleted it.
 */
public final class RoundMembership {

  private final String runId;
  private final long round;
  private final int workers;
  private final int quorum;
  private final int size;
  private final Map<List<Long>, Assembly> assemblies = new HashMap<>();
  private final List<Integer> contributors = new ArrayList<>();
  private final PseudoGradientMean mean;
  private boolean closed;
  private Integer closedBy;

  /** A pseudo-gradient being assembled from its chunks. */
  private static final class Assembly {
    final float[] values;
    final BitSet received = new BitSet();

    Assembly(int size) {
      values = new float[size];
    }
  }

  /**
   * @param size the number of values of the model's flattened parameters
   */
  public RoundMembership(String runId, long round, int workers, int quorum, int size) {
    this.runId = runId;
    this.round = round;
    this.workers = workers;
    this.quorum = quorum;
    this.size = size;
    this.mean = new PseudoGradientMean(size);
  }

  /**
   * Takes the next record of the log.
   *
   * @return true when this record closed the round
   * @throws IllegalArgumentException when the record is this round's but cannot be part of it (a
   *     worker index or a size that does not fit the run); every worker passes it over alike
   * @throws IllegalStateException when a later round's record comes before this round closed
   */
  public boolean accept(SyncRecord record) {
    if (closed || !record.runId().equals(runId) || record.round() < round) {
      return false;
    }
    if (record.round() > round) {
      throw new IllegalStateException(
          "the sync topic holds round "
              + record.round()
              + " of run '"
              + runId
              + "' before round "
              + round
              + " closed: retention of the trainer.sync topic deleted round "
              + round
              + ", so this worker cannot catch up on it. Keep trainer.sync longer"
              + " (topics.tokens.retention.ms) than a worker may stay down.");
    }
    if (record instanceof SyncRecord.PseudoGradientChunk chunk) {
      return acceptChunk(chunk);
    }
    return acceptClose((SyncRecord.RoundClose) record);
  }

  private boolean acceptChunk(SyncRecord.PseudoGradientChunk chunk) {
    if (chunk.worker() >= workers) {
      throw new IllegalArgumentException(
          "worker " + chunk.worker() + " is not one of the run's " + workers + " workers");
    }
    if (chunk.totalValues() != size) {
      throw new IllegalArgumentException(
          "worker "
              + chunk.worker()
              + " sent a pseudo-gradient of "
              + chunk.totalValues()
              + " values, the model has "
              + size
              + ": is it training another model?");
    }
    if (contributors.contains(chunk.worker())) {
      return false;
    }
    Assembly assembly =
        assemblies.computeIfAbsent(
            List.of((long) chunk.worker(), chunk.attempt()), key -> new Assembly(size));
    System.arraycopy(chunk.values(), 0, assembly.values, chunk.firstValue(), chunk.values().length);
    assembly.received.set(chunk.chunk());
    if (assembly.received.cardinality() < chunk.chunks()) {
      return false;
    }
    // complete: it joins the round, and the worker's other attempts are dropped
    assemblies.keySet().removeIf(key -> key.get(0) == chunk.worker());
    contributors.add(chunk.worker());
    mean.add(assembly.values);
    if (contributors.size() == workers) {
      closed = true;
    }
    return closed;
  }

  private boolean acceptClose(SyncRecord.RoundClose close) {
    if (contributors.size() < quorum) {
      return false; // not written by a worker of this run's settings: no worker acts on it
    }
    closed = true;
    closedBy = close.worker();
    assemblies.clear();
    return true;
  }

  public long round() {
    return round;
  }

  public boolean closed() {
    return closed;
  }

  /** Complete contributions so far (the round's, once closed). */
  public int contributions() {
    return contributors.size();
  }

  /** The workers whose contributions count, in log order. */
  public List<Integer> contributors() {
    return List.copyOf(contributors);
  }

  /** The worker whose timeout closed the round, or null when it closed with all K. */
  public Integer closedBy() {
    return closedBy;
  }

  /** The mean of the round's pseudo-gradients, flattened. */
  public float[] meanPseudoGradient() {
    if (!closed) {
      throw new IllegalStateException("round " + round + " is not closed");
    }
    return mean.mean();
  }
}
