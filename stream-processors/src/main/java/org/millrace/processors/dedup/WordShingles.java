package org.millrace.processors.dedup;

import java.util.Arrays;

/**
 * The word n-gram shingles of a text, as 32-bit hashes: the sets whose Jaccard similarity MinHash
 * estimates. Words are the maximal runs of letters and digits, lower-cased, so that punctuation,
 * case and spacing do not make two copies of a text look different (datatrove's MinHash
 * deduplication simplifies the text the same way before shingling). A text of fewer words than a
 * shingle has one shingle of all of them; a text without words has none.
 */
public final class WordShingles {

  private WordShingles() {}

  /** The hash of each run of {@code size} consecutive words, in order, repeats included. */
  public static int[] of(String text, int size) {
    long[] words = wordHashes(text);
    if (words.length == 0) {
      return new int[0];
    }
    int count = Math.max(1, words.length - size + 1);
    int span = Math.min(size, words.length);
    int[] shingles = new int[count];
    for (int first = 0; first < count; first++) {
      long hash = 0;
      for (int i = first; i < first + span; i++) {
        hash = (hash ^ words[i]) * 0x9E3779B97F4A7C15L; // order matters: "a b" is not "b a"
      }
      hash = Mix.fmix64(hash);
      shingles[first] = (int) (hash ^ (hash >>> 32));
    }
    return shingles;
  }

  /** A 64-bit hash of each word, lower-cased, in order. */
  static long[] wordHashes(String text) {
    long[] hashes = new long[16];
    int count = 0;
    int length = text.length();
    int i = 0;
    while (i < length) {
      int codePoint = text.codePointAt(i);
      if (!isWordCharacter(codePoint)) {
        i += Character.charCount(codePoint);
        continue;
      }
      long hash = 0xCBF29CE484222325L; // FNV-1a over the lower-cased code points
      while (i < length) {
        codePoint = text.codePointAt(i);
        if (!isWordCharacter(codePoint)) {
          break;
        }
        hash = (hash ^ lowerCase(codePoint)) * 0x100000001B3L;
        i += Character.charCount(codePoint);
      }
      if (count == hashes.length) {
        hashes = Arrays.copyOf(hashes, count * 2);
      }
      hashes[count++] = hash;
    }
    return Arrays.copyOf(hashes, count);
  }

  // ASCII first: most characters of most documents are, and the general Unicode lookups cost
  // several times more than these comparisons. The answers are the same.
  private static boolean isWordCharacter(int codePoint) {
    if (codePoint < 128) {
      return codePoint >= 'a' && codePoint <= 'z'
          || codePoint >= 'A' && codePoint <= 'Z'
          || codePoint >= '0' && codePoint <= '9';
    }
    return Character.isLetterOrDigit(codePoint);
  }

  private static int lowerCase(int codePoint) {
    if (codePoint < 128) {
      return codePoint >= 'A' && codePoint <= 'Z' ? codePoint + ('a' - 'A') : codePoint;
    }
    return Character.toLowerCase(codePoint);
  }
}
