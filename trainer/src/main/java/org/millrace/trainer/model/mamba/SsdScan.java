package org.millrace.trainer.model.mamba;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The selective state-space scan of Mamba-2 (Dao and Gu 2024, "Transformers are SSMs",
 * arXiv:2405.21060): per head, {@code h_t = exp(dt_t·A)·h_{t-1} + dt_t·x_t⊗B_t} and {@code y_t =
 * C_t·h_t}, with a state h of (P, N) per head. {@link #chunked} computes it the paper's way ("state
 * space duality"; the minimal listing {@code ssd_minimal_discrete}): within each chunk of {@code
 * chunk} positions a masked attention-like product {@code ((C·Bᵀ) ⊙ L)·X} with {@code L =
 * exp(segsum(A·dt))}, across chunks a recurrence on the states the chunks leave. {@link #step} is
 * the recurrence itself, one position at a time, for generation.
 *
 * <p>The numerical traps, each with a test in {@code SsdScanTest}:
 *
 * <ul>
 *   <li>segment sums come from a masked cumulative sum ({@link #segmentSums}), never from a
 *       difference of two cumulative sums, which loses every digit once the sums grow large;
 *   <li>the minus-infinity mask is added before {@code exp} ({@link #decay}): multiplying by a 0/1
 *       mask after it turns the masked, exponentially large entries into {@code inf·0 = NaN}, in
 *       the forward pass or in the gradient;
 *   <li>the exponent is clamped at 0 before {@code exp}: it is a sum of non-positive terms, so any
 *       positive value is rounding, and a decay above 1 would amplify;
 *   <li>a length that the chunk does not divide is padded with zeros (dt = 0: no decay, no input)
 *       and the output cut back, so the final state is unchanged by the padding.
 * </ul>
 */
public final class SsdScan {

  private SsdScan() {}

  /**
   * The outputs of every position and the state after the last one.
   *
   * @param y (B, T, H, P)
   * @param finalState (B, H, P, N)
   */
  public record Output(NDArray y, NDArray finalState) {}

  /**
   * The scan from a zero state, in chunks.
   *
   * @param x inputs (B, T, H, P)
   * @param dt step sizes (B, T, H), positive
   * @param a the decay rate of each head (H), negative
   * @param b input projections (B, T, H, N), already shared out from groups to heads
   * @param c output projections (B, T, H, N)
   * @param chunk positions per chunk; need not divide T
   */
  public static Output chunked(NDArray x, NDArray dt, NDArray a, NDArray b, NDArray c, int chunk) {
    Shape shape = x.getShape();
    long batch = shape.get(0);
    long t = shape.get(1);
    long heads = shape.get(2);
    long p = shape.get(3);
    long n = b.getShape().get(3);
    long chunks = (t + chunk - 1) / chunk;
    long padded = chunks * chunk;

    NDArray decayRate = dt.mul(a); // A·dt, (B, T, H)
    NDArray input = x.mul(dt.expandDims(3)); // x·dt, (B, T, H, P)
    NDArray bIn = b;
    NDArray cIn = c;
    if (padded > t) {
      decayRate = padTime(decayRate, padded - t);
      input = padTime(input, padded - t);
      bIn = padTime(bIn, padded - t);
      cIn = padTime(cIn, padded - t);
    }
    // (B, T, H, ·) -> (B, chunks, H, chunk, ·)
    NDArray xs = input.reshape(batch, chunks, chunk, heads, p).transpose(0, 1, 3, 2, 4);
    NDArray bs = bIn.reshape(batch, chunks, chunk, heads, n).transpose(0, 1, 3, 2, 4);
    NDArray cs = cIn.reshape(batch, chunks, chunk, heads, n).transpose(0, 1, 3, 2, 4);
    NDArray as = decayRate.reshape(batch, chunks, chunk, heads).transpose(0, 1, 3, 2);

    // 1. within each chunk: L[l, s] = exp(A·dt summed over s+1..l), (B, chunks, H, chunk, chunk)
    NDArray within = decay(segmentSums(as));
    NDArray yDiagonal = cs.matMul(bs.transpose(0, 1, 2, 4, 3)).mul(within).matMul(xs);

    // 2. the state each chunk leaves from its own inputs: decayed to the chunk's end, which is the
    // last row of L (no difference of cumulative sums), (B, chunks, H, P, N)
    NDArray toEnd = within.get(new NDIndex(":, :, :, {}, :", chunk - 1)).expandDims(4);
    NDArray chunkStates = xs.mul(toEnd).transpose(0, 1, 2, 4, 3).matMul(bs);

    // 3. across chunks: the state entering chunk k sums the states left by chunks j < k, each
    // decayed over chunks j+1..k-1: the same segment-sum decay, over the chunks' total decays
    NDArray cumulative = as.cumSum(3); // (B, chunks, H, chunk)
    NDArray totals = cumulative.get(new NDIndex(":, :, :, {}", chunk - 1)).transpose(0, 2, 1);
    NDManager manager = x.getManager();
    NDArray startTotals =
        manager.zeros(new Shape(batch, heads, 1), totals.getDataType()).concat(totals, 2);
    NDArray across = decay(segmentSums(startTotals)); // (B, H, chunks+1, chunks+1)
    NDArray states =
        manager
            .zeros(new Shape(batch, 1, heads, p, n), chunkStates.getDataType())
            .concat(chunkStates, 1)
            .transpose(0, 2, 1, 3, 4)
            .reshape(batch, heads, chunks + 1, p * n);
    NDArray carried = across.matMul(states); // (B, H, chunks+1, P·N)
    NDArray entering =
        carried
            .get(new NDIndex(":, :, :{}, :", chunks))
            .reshape(batch, heads, chunks, p, n)
            .transpose(0, 2, 1, 3, 4);
    NDArray finalState =
        carried.get(new NDIndex(":, :, {}, :", chunks)).reshape(batch, heads, p, n);

    // 4. what the entering state contributes to each position, decayed from the chunk's start
    NDArray fromStart = decay(cumulative).expandDims(4);
    NDArray yOffDiagonal = cs.matMul(entering.transpose(0, 1, 2, 4, 3)).mul(fromStart);

    NDArray y =
        yDiagonal.add(yOffDiagonal).transpose(0, 1, 3, 2, 4).reshape(batch, padded, heads, p);
    if (padded > t) {
      y = y.get(new NDIndex(":, :{}", t));
    }
    return new Output(y, finalState);
  }

  /**
   * One position of the recurrence: {@code h = exp(dt·A)·h + dt·x⊗B}, {@code y = C·h}.
   *
   * @param state the state before this position (B, H, P, N)
   * @param x (B, H, P)
   * @param dt (B, H)
   * @param a (H)
   * @param b (B, H, N)
   * @param c (B, H, N)
   * @return y (B, H, P) and the new state, in the manager of {@code x}
   */
  public static Output step(NDArray state, NDArray x, NDArray dt, NDArray a, NDArray b, NDArray c) {
    Shape shape = state.getShape();
    NDArray decay = dt.mul(a).exp().reshape(shape.get(0), shape.get(1), 1, 1);
    NDArray update = x.mul(dt.expandDims(2)).expandDims(3).mul(b.expandDims(2));
    NDArray next = update.add(decay.mul(state));
    NDArray y = next.matMul(c.expandDims(3)).squeeze(3);
    return new Output(y, next);
  }

  /**
   * Segment sums of {@code values} (..., T) over its last axis: {@code S[i, j] = values[j+1] + … +
   * values[i]} for j ≤ i (0 on the diagonal), minus infinity for j > i, (..., T, T). Each entry is
   * a cumulative sum of the values masked to the segment, so it is exactly as precise as a short
   * sum: the difference {@code cumsum[i] - cumsum[j]} of two large sums would not be.
   */
  public static NDArray segmentSums(NDArray values) {
    Shape shape = values.getShape();
    int axis = shape.dimension();
    long t = shape.get(axis - 1);
    NDManager manager = values.getManager();
    DataType type = values.getDataType();
    // repeated[..., i, j] = values[i]; keep rows i > j, sum down the rows
    NDArray repeated = values.expandDims(axis).repeat(axis, t);
    NDArray positions = manager.arange(0, (int) t, 1, DataType.INT64);
    NDArray rows = positions.reshape(t, 1);
    NDArray columns = positions.reshape(1, t);
    NDArray below = rows.gt(columns).toType(type, false);
    NDArray sums = repeated.mul(below).cumSum(axis - 1);
    // the minus-infinity mask is added, so that exp gives exactly 0 above the diagonal
    Shape square = new Shape(t, t);
    NDArray mask =
        NDArrays.where(
            columns.gt(rows).broadcast(square),
            manager.full(square, Float.NEGATIVE_INFINITY, type),
            manager.zeros(square, type));
    return sums.add(mask);
  }

  /**
   * {@code exp(min(exponent, 0))}: a decay over a segment, never above 1. The clamp only removes
   * rounding (the exponents are sums of non-positive A·dt) and keeps minus infinity, which gives 0.
   */
  public static NDArray decay(NDArray exponent) {
    // clamp, not minimum: at a tie (an exponent of exactly 0) minimum's gradient is halved
    return exponent.clip(Double.NEGATIVE_INFINITY, 0.0).exp();
  }

  /** {@code array} (B, T, …) followed by {@code extra} zero positions on axis 1. */
  private static NDArray padTime(NDArray array, long extra) {
    Shape shape = array.getShape();
    long[] dims = shape.getShape().clone();
    dims[1] = extra;
    NDArray zeros = array.getManager().zeros(new Shape(dims), array.getDataType());
    return NDArrays.concat(new NDList(array, zeros), 1);
  }
}
