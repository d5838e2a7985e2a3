package org.millrace.bench;

import java.util.Random;
import java.util.SplittableRandom;
import org.millrace.processors.dedup.MinHash;
import org.millrace.processors.dedup.WordShingles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmarks behind {@code millrace bench minhash}: the MinHash signature of one 5 KB document
 * (shingling included), with ours and with the textbook hash family that datatrove uses, {@code
 * (a·x + b) mod (2^61 - 1)}, as the reference. One operation is one document.
 */
@State(Scope.Thread)
public class MinHashBenchmark {

  /** Bytes of each benchmark document (ASCII, so also its characters). */
  public static final int DOCUMENT_BYTES = 5000;

  private static final long PRIME = (1L << 61) - 1;
  private static final int HASHES = 112;

  private final MinHash minHash = new MinHash(HASHES);
  private long[] a;
  private long[] b;
  private String[] documents;
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom seeds = new SplittableRandom(1);
    a = new long[HASHES];
    b = new long[HASHES];
    for (int i = 0; i < HASHES; i++) {
      a[i] = 1 + seeds.nextLong(PRIME - 1);
      b[i] = seeds.nextLong(PRIME);
    }
    documents = new String[64];
    Random random = new Random(2);
    for (int d = 0; d < documents.length; d++) {
      documents[d] = document(random);
    }
  }

  /** English-like pseudo-text: words of 1 to 10 letters, spaces, a full stop now and then. */
  public static String document(Random random) {
    StringBuilder text = new StringBuilder(DOCUMENT_BYTES);
    while (text.length() < DOCUMENT_BYTES) {
      int length = 1 + random.nextInt(10);
      for (int i = 0; i < length; i++) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      text.append(random.nextInt(12) == 0 ? ". " : " ");
    }
    text.setLength(DOCUMENT_BYTES);
    return text.toString();
  }

  private String nextDocument() {
    next = (next + 1) & (documents.length - 1);
    return documents[next];
  }

  @Benchmark
  public int[] millrace() {
    return minHash.signature(WordShingles.of(nextDocument(), 5));
  }

  @Benchmark
  public long[] modPrimeReference() {
    int[] shingles = WordShingles.of(nextDocument(), 5);
    long[] minimums = new long[HASHES];
    java.util.Arrays.fill(minimums, Long.MAX_VALUE);
    for (int shingle : shingles) {
      long x = shingle & 0xFFFFFFFFL;
      for (int i = 0; i < HASHES; i++) {
        long h = modPrime(Math.multiplyHigh(a[i], x), a[i] * x, b[i]);
        minimums[i] = Math.min(minimums[i], h);
      }
    }
    return minimums;
  }

  /** (high·2^64 + low + add) mod 2^61 - 1, for a product of a 61-bit and a 32-bit number. */
  private static long modPrime(long high, long low, long add) {
    // 2^64 = 2^3 · 2^61 ≡ 8 (mod p), and 2^61 ≡ 1
    long folded = (low & PRIME) + (low >>> 61) + (high << 3) + add;
    folded = (folded & PRIME) + (folded >>> 61);
    return folded >= PRIME ? folded - PRIME : folded;
  }
}
