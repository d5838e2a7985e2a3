package org.millrace.runtime.testing;

import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Generated text for tests: pseudo-words of 3 to 8 random lowercase letters, drawn from a seed, so
 * that word shingles rarely repeat between texts, and copies of a text with a few words changed.
 */
public final class PseudoText {

  private PseudoText() {}

  /** {@code count} pseudo-words drawn from {@code seed}, separated by single spaces. */
  public static String words(int count, long seed) {
    Random random = new Random(seed);
    return IntStream.range(0, count).mapToObj(i -> word(random)).collect(Collectors.joining(" "));
  }

  /** {@code text} with {@code count} of its words, spread evenly, replaced by new ones. */
  public static String replaceWords(String text, int count, long seed) {
    Random random = new Random(seed);
    String[] words = text.split(" ");
    for (int i = 0; i < count; i++) {
      words[(int) ((i + 0.5) * words.length / count)] = word(random);
    }
    return String.join(" ", words);
  }

  /** One pseudo-word: 3 to 8 letters a to z. */
  public static String word(Random random) {
    char[] letters = new char[3 + random.nextInt(6)];
    for (int i = 0; i < letters.length; i++) {
      letters[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(letters);
  }
}
