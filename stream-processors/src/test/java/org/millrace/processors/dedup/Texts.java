package org.millrace.processors.dedup;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Generated texts for the dedup tests: words drawn from a large vocabulary, so shingles rarely
 * repeat.
 */
final class Texts {

  private Texts() {}

  /** {@code count} pseudo-words drawn from {@code seed}. */
  static String words(int count, long seed) {
    Random random = new Random(seed);
    return IntStream.range(0, count).mapToObj(i -> word(random)).collect(Collectors.joining(" "));
  }

  /** {@code text} with {@code count} of its words, spread evenly, replaced by new ones. */
  static String replaceWords(String text, int count, long seed) {
    Random random = new Random(seed);
    String[] words = text.split(" ");
    for (int i = 0; i < count; i++) {
      words[(int) ((i + 0.5) * words.length / count)] = word(random);
    }
    return String.join(" ", words);
  }

  /** The exact Jaccard similarity of two shingle-hash sets. */
  static double jaccard(int[] a, int[] b) {
    Set<Integer> x = Arrays.stream(a).boxed().collect(Collectors.toSet());
    Set<Integer> y = Arrays.stream(b).boxed().collect(Collectors.toSet());
    Set<Integer> union = new HashSet<>(x);
    union.addAll(y);
    x.retainAll(y);
    return (double) x.size() / union.size();
  }

  private static String word(Random random) {
    char[] letters = new char[3 + random.nextInt(6)];
    for (int i = 0; i < letters.length; i++) {
      letters[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(letters);
  }
}
