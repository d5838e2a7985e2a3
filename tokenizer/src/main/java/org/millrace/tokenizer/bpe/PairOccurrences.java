package org.millrace.tokenizer.bpe;

import java.util.Arrays;

/**
 * How often one pair of adjacent tokens occurs in the corpus, and which words hold it, so that a
 * merge visits only those words (the index Hugging Face's trainer calls {@code where_to_update}).
 *
 * <p>The word list may hold a word that no longer contains the pair (merging it there is a no-op),
 * but it holds every word that does: a pair can only appear in a word through a merge, and the
 * merge adds the word.
 */
final class PairOccurrences {

  /** The number of occurrences, each word's counted as often as the word occurs. */
  long count;

  private int[] words = new int[2];
  private int wordCount;

  void addWord(int word) {
    // A word adds its pairs one after the other, so a repeated word is always the last one.
    if (wordCount > 0 && words[wordCount - 1] == word) {
      return;
    }
    if (wordCount == words.length) {
      words = Arrays.copyOf(words, wordCount * 2);
    }
    words[wordCount++] = word;
  }

  int wordCount() {
    return wordCount;
  }

  int word(int index) {
    return words[index];
  }
}
