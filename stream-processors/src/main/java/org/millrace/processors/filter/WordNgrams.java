package org.millrace.processors.filter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The word n-grams of a text, counted in time linear in its length, for Gopher's repetition rules.
 * Each token gets a small integer id; an n-gram is found in an open-addressing table by a hash of
 * its ids and confirmed by comparing the ids, so that two different n-grams never count as one
 * (datatrove compares the n-grams' joined strings, in which {@code ab c} and {@code a bc} meet).
 */
final class WordNgrams {

  private final int[] ids;
  private final long[] characterPrefix;

  WordNgrams(TextWords tokens) {
    ids = new int[tokens.count()];
    characterPrefix = new long[tokens.count() + 1];
    Map<String, Integer> idOfToken = new HashMap<>();
    for (int i = 0; i < tokens.count(); i++) {
      Integer id = idOfToken.putIfAbsent(tokens.get(i), idOfToken.size());
      ids[i] = id == null ? idOfToken.size() - 1 : id;
      characterPrefix[i + 1] = characterPrefix[i] + tokens.length(i);
    }
  }

  /**
   * The characters of the most frequent n-gram times its count, the n-gram's words joined by one
   * space as datatrove joins them. Among n-grams equally frequent, the first to occur, as Python's
   * {@code Counter.most_common} picks it. Zero when no n-gram occurs twice: a text without a
   * repeated n-gram has no repetition to measure (datatrove would still count the first n-gram).
   */
  long topNgramCharacters(int n) {
    int grams = ids.length - n + 1;
    if (grams < 1) {
      return 0;
    }
    Table table = new Table(n, grams);
    int bestStart = -1;
    int bestCount = 0;
    for (int start = 0; start < grams; start++) {
      int slot = table.slotOf(start);
      table.counts[slot]++;
      int count = table.counts[slot];
      int first = table.firstStarts[slot];
      if (count > bestCount || count == bestCount && first < bestStart) {
        bestCount = count;
        bestStart = first;
      }
    }
    if (bestCount < 2) {
      return 0;
    }
    return (characters(bestStart, n) + n - 1) * bestCount;
  }

  /**
   * The characters in repeats of earlier n-grams, words joined without spaces, datatrove's {@code
   * find_all_duplicate}: walking the text, an n-gram seen before counts its characters and the walk
   * jumps past it, so overlapping repeats are not counted twice; an n-gram not seen before is
   * remembered and the walk moves one word.
   */
  long duplicateNgramCharacters(int n) {
    int grams = ids.length - n + 1;
    if (grams < 1) {
      return 0;
    }
    Table table = new Table(n, grams);
    long repeated = 0;
    int start = 0;
    while (start < grams) {
      int slot = table.slotOf(start);
      if (table.counts[slot] > 0) {
        repeated += characters(start, n);
        start += n;
      } else {
        table.counts[slot] = 1;
        start++;
      }
    }
    return repeated;
  }

  private long characters(int start, int n) {
    return characterPrefix[start + n] - characterPrefix[start];
  }

  /** n-grams by their first occurrence, with a count each; at most half full. */
  private final class Table {

    private final int n;
    private final int mask;
    private final long[] hashes;
    private final int[] firstStarts;
    private final int[] counts;

    Table(int n, int grams) {
      this.n = n;
      int capacity = Integer.highestOneBit(Math.max(2, grams) * 2 - 1) * 2;
      mask = capacity - 1;
      hashes = new long[capacity];
      firstStarts = new int[capacity];
      counts = new int[capacity];
      Arrays.fill(firstStarts, -1);
    }

    /** The slot of the n-gram at {@code start}, claimed for it (count 0) if it is new. */
    int slotOf(int start) {
      long hash = hash(start);
      int slot = (int) (hash ^ (hash >>> 32)) & mask;
      while (firstStarts[slot] != -1) {
        if (hashes[slot] == hash && sameIds(firstStarts[slot], start)) {
          return slot;
        }
        slot = (slot + 1) & mask;
      }
      hashes[slot] = hash;
      firstStarts[slot] = start;
      return slot;
    }

    private long hash(int start) {
      long hash = 0x9E3779B97F4A7C15L;
      for (int i = start; i < start + n; i++) {
        hash = (hash ^ ids[i]) * 0xBF58476D1CE4E5B9L;
        hash ^= hash >>> 31;
      }
      return hash;
    }

    private boolean sameIds(int first, int second) {
      return Arrays.equals(ids, first, first + n, ids, second, second + n);
    }
  }
}
