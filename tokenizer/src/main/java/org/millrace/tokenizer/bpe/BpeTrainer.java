package org.millrace.tokenizer.bpe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns a byte-level BPE vocabulary, GPT-2 style, from text that streams through {@link
 * #add(String)}: only each distinct word and its count are kept, so memory grows with the
 * vocabulary of the corpus, not its length. {@link #train()} then learns the merges ({@link
 * MergeLearner}) and gives a {@link BpeModel} that Hugging Face tokenizers, and DJL through them,
 * load from its {@code tokenizer.json}.
 *
 * <p>The vocabulary has a fixed layout: ids 0-255 are the 256 bytes (id = byte value), then one id
 * per token learned, in the order learned, then the special tokens in the order given. So {@code
 * vocabularySize - 256 - specialTokens.size()} tokens are learned, fewer if the corpus runs out of
 * pairs first (the vocabulary is then smaller, and a warning says so).
 *
 * <p>Special tokens in the text are cut out before the text is split into words, as Hugging Face
 * does when it encodes (the added vocabulary matches first, longest token first), so that no merge
 * is learned from them and the text between them is split as the encoder will split it.
 *
 * <p>Training is deterministic: the same words and counts give the same model, byte for byte,
 * whatever the order the text came in. Of pairs with equal counts, the one whose left token has the
 * smallest bytes (unsigned, lexicographic) is merged first, then the one whose right token has. Not
 * thread-safe.
 */
public final class BpeTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(BpeTrainer.class);
  private static final int BYTE_TOKENS = 256;

  private final int vocabularySize;
  private final List<String> specialTokens;

  /** Null when there are no special tokens. */
  private final Pattern specialTokenPattern;

  private final Map<String, Long> wordCounts = new HashMap<>();

  /**
   * @param vocabularySize the number of ids wanted: 256 bytes, the tokens to learn, the specials
   * @param specialTokens tokens such as {@code <|endoftext|>} that always encode to their own id;
   *     distinct, not empty, and not one of the 256 byte-level characters
   */
  public BpeTrainer(int vocabularySize, List<String> specialTokens) {
    this.specialTokens = List.copyOf(specialTokens);
    if (vocabularySize < BYTE_TOKENS + this.specialTokens.size()) {
      throw new IllegalArgumentException(
          "a vocabulary of "
              + vocabularySize
              + " ids cannot hold the 256 bytes and "
              + this.specialTokens.size()
              + " special tokens");
    }
    if (new HashSet<>(this.specialTokens).size() != this.specialTokens.size()) {
      throw new IllegalArgumentException("special tokens repeat: " + this.specialTokens);
    }
    for (String token : this.specialTokens) {
      if (token.isEmpty()
          || (token.length() == 1 && ByteLevelAlphabet.byteOf(token.charAt(0)) >= 0)) {
        throw new IllegalArgumentException(
            "special token '" + token + "' is empty or the name of a byte token");
      }
    }
    this.vocabularySize = vocabularySize;
    this.specialTokenPattern = alternationOf(this.specialTokens);
  }

  /** Longest first, since Java takes the first alternative that matches at a position. */
  private static Pattern alternationOf(List<String> tokens) {
    if (tokens.isEmpty()) {
      return null;
    }
    return Pattern.compile(
        tokens.stream()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .map(Pattern::quote)
            .collect(Collectors.joining("|")));
  }

  /**
   * Counts the words of one more piece of text (a document, a line, a chunk of a file). Each piece
   * is split on its own, so no word spans two pieces.
   */
  public void add(String text) {
    if (specialTokenPattern == null) {
      countWords(text);
      return;
    }
    Matcher matcher = specialTokenPattern.matcher(text);
    int start = 0;
    while (matcher.find()) {
      countWords(text.substring(start, matcher.start()));
      start = matcher.end();
    }
    countWords(text.substring(start));
  }

  private void countWords(String text) {
    for (String word : GptPreTokenizer.split(text)) {
      wordCounts.merge(word, 1L, Long::sum);
    }
  }

  /** The number of distinct words counted so far. */
  public int distinctWords() {
    return wordCounts.size();
  }

  /** Learns the merges from the words counted so far. */
  public BpeModel train() {
    long started = System.nanoTime();
    // Sorted, so that no HashMap order reaches the words' ids (the result does not depend on them,
    // but a fixed order makes a run easy to reproduce step by step).
    List<Map.Entry<String, Long>> entries = new ArrayList<>(wordCounts.entrySet());
    entries.sort(Map.Entry.comparingByKey());
    List<byte[]> words = new ArrayList<>(entries.size());
    long[] counts = new long[entries.size()];
    for (int w = 0; w < entries.size(); w++) {
      words.add(entries.get(w).getKey().getBytes(StandardCharsets.UTF_8));
      counts[w] = entries.get(w).getValue();
    }
    Set<String> forbidden = new HashSet<>(specialTokens);
    MergeLearner learner = new MergeLearner(words, counts, forbidden);
    int wanted = vocabularySize - BYTE_TOKENS - specialTokens.size();
    learner.learn(wanted);

    int learned = learner.tokens().size() - BYTE_TOKENS;
    if (learned < wanted) {
      LOG.warn(
          "the corpus ran out of pairs after {} tokens: the vocabulary has {} ids, not {}",
          learned,
          learner.tokens().size() + specialTokens.size(),
          vocabularySize);
    }
    LOG.info(
        "learned {} tokens ({} merges) from {} distinct words in {} ms",
        learned,
        learner.merges().size(),
        words.size(),
        (System.nanoTime() - started) / 1_000_000);
    return new BpeModel(learner.tokens(), learner.merges(), specialTokens);
  }
}
