package org.millrace.processors.dedup;

/**
 * Locality-sensitive hashing over MinHash signatures: the signature is cut into b bands of r rows,
 * and each band is hashed into a bucket. Two documents of Jaccard similarity s share at least one
 * bucket with probability 1 - (1 - s^r)^b, an S-curve that rises steeply around (1/b)^(1/r): with
 * FineWeb's 14 bands of 8 rows, about 0.72 (docs/dedup.md tabulates it).
 */
public record LshBands(int bands, int rows) {

  public LshBands {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException(
          "LSH needs at least one band of one row, not " + bands + " x " + rows);
    }
  }

  /** Hashes per signature: bands × rows. */
  public int signatureSize() {
    return bands * rows;
  }

  /** The probability that two documents of Jaccard similarity s share a bucket. */
  public double candidateProbability(double s) {
    return 1 - Math.pow(1 - Math.pow(s, rows), bands);
  }

  /** The similarity at which the S-curve is steepest, about where candidates become likely. */
  public double threshold() {
    return Math.pow(1.0 / bands, 1.0 / rows);
  }

  /**
   * The bucket of band {@code band}: the band's number and a 64-bit hash of its rows, as text, so
   * that equal bands of different band numbers never meet.
   */
  public String bucket(int[] signature, int band) {
    long hash = band;
    for (int row = band * rows; row < (band + 1) * rows; row++) {
      hash = Mix.fmix64(hash ^ (signature[row] & 0xFFFFFFFFL) ^ ((long) row << 32));
    }
    return "b" + band + ":" + Long.toHexString(hash);
  }
}
