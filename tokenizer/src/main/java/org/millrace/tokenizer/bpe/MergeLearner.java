package org.millrace.tokenizer.bpe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The BPE merge loop (Sennrich et al. 2016, "Neural Machine Translation of Rare Words with Subword
 * Units", Algorithm 1) over the distinct words of a corpus, each weighted by its count, with
 * incremental pair counting as in Hugging Face's {@code models/bpe/trainer.rs}: pairs are counted
 * once; a merge then visits only the words that hold the merged pair ({@link PairOccurrences}) and
 * updates only the counts that change. The most frequent pair comes from a priority queue whose
 * entries are checked when they come out (lazy invalidation): an entry whose count is no longer the
 * pair's count is dropped, and every change of a count pushes a fresh entry.
 *
 * <p>Ties are broken by the pair's token bytes, so that the result depends on the corpus alone:
 * among pairs of equal count, the one whose left token is smallest (unsigned lexicographic order of
 * the UTF-8 bytes) wins, then the one whose right token is smallest.
 *
 * <p>Tokens are ids: 0-255 are the bytes, then each merge that makes a new token string takes the
 * next id. Should a merge make a string that already exists ("ab" + "c" after "a" + "bc"), it
 * reuses that id, as Hugging Face's trainer does, since {@code tokenizer.json} maps each string to
 * one id. (We have not seen it happen: merging from left to right in a fixed order seems to split a
 * string one way only; but nothing we know of rules it out.)
 */
final class MergeLearner {

  /** One pair's count when it was pushed; stale once the pair's count has changed. */
  private record Candidate(long pair, long count) {}

  private final int[][] words;
  private final long[] counts;
  private final Set<String> forbiddenTokens;

  private final List<byte[]> tokenBytes = new ArrayList<>();
  private final List<String> tokens = new ArrayList<>();
  private final Map<String, Integer> idOfToken = new HashMap<>();
  private final Map<Long, PairOccurrences> pairs = new HashMap<>();
  private final PriorityQueue<Candidate> queue = new PriorityQueue<>(this::compare);
  private final List<BpeModel.Merge> merges = new ArrayList<>();

  /**
   * @param words each distinct word's UTF-8 bytes
   * @param counts how often each word occurs
   * @param forbiddenTokens byte-level strings no merge may make (the special tokens, which must
   *     keep one meaning)
   */
  MergeLearner(List<byte[]> words, long[] counts, Set<String> forbiddenTokens) {
    this.words = new int[words.size()][];
    this.counts = counts;
    this.forbiddenTokens = forbiddenTokens;
    for (int b = 0; b < 256; b++) {
      addToken(new byte[] {(byte) b});
    }
    for (int w = 0; w < words.size(); w++) {
      byte[] bytes = words.get(w);
      int[] symbols = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        symbols[i] = bytes[i] & 0xFF;
      }
      this.words[w] = symbols;
      for (int i = 0; i + 1 < symbols.length; i++) {
        PairOccurrences occurrences =
            pairs.computeIfAbsent(pair(symbols[i], symbols[i + 1]), p -> new PairOccurrences());
        occurrences.count += counts[w];
        occurrences.addWord(w);
      }
    }
    pairs.forEach((pair, occurrences) -> queue.add(new Candidate(pair, occurrences.count)));
  }

  /** Merges until {@code newTokens} tokens beyond the bytes exist or no pair is left. */
  void learn(int newTokens) {
    while (tokens.size() - 256 < newTokens && !queue.isEmpty()) {
      Candidate top = queue.poll();
      PairOccurrences occurrences = pairs.get(top.pair());
      if (occurrences == null || occurrences.count != top.count()) {
        continue;
      }
      int left = left(top.pair());
      int right = right(top.pair());
      byte[] bytes = concat(tokenBytes.get(left), tokenBytes.get(right));
      String token = ByteLevelAlphabet.encode(bytes);
      if (forbiddenTokens.contains(token)) {
        continue;
      }
      Integer existing = idOfToken.get(token);
      int id = existing != null ? existing : addToken(bytes);
      merges.add(new BpeModel.Merge(tokens.get(left), tokens.get(right)));
      pairs.remove(top.pair());
      mergeEverywhere(occurrences, left, right, id);
    }
  }

  /** Every token in id order, in byte-level form. */
  List<String> tokens() {
    return tokens;
  }

  /** The merges in the order learned. */
  List<BpeModel.Merge> merges() {
    return merges;
  }

  private int addToken(byte[] bytes) {
    String token = ByteLevelAlphabet.encode(bytes);
    int id = tokens.size();
    tokenBytes.add(bytes);
    tokens.add(token);
    idOfToken.put(token, id);
    return id;
  }

  /**
   * Merges the pair in every word that holds it. A word's pairs are taken out before and put back
   * after, which is simple and cheap: words are short (a few symbols), and the pairs away from the
   * merge cancel out.
   */
  private void mergeEverywhere(PairOccurrences occurrences, int left, int right, int id) {
    Map<Long, Long> changes = new HashMap<>();
    for (int k = 0; k < occurrences.wordCount(); k++) {
      int w = occurrences.word(k);
      int[] before = words[w];
      int[] after = merge(before, left, right, id);
      if (after == before) {
        continue;
      }
      for (int i = 0; i + 1 < before.length; i++) {
        changes.merge(pair(before[i], before[i + 1]), -counts[w], Long::sum);
      }
      for (int i = 0; i + 1 < after.length; i++) {
        long pair = pair(after[i], after[i + 1]);
        changes.merge(pair, counts[w], Long::sum);
        if (after[i] == id || after[i + 1] == id) {
          pairs.computeIfAbsent(pair, p -> new PairOccurrences()).addWord(w);
        }
      }
      words[w] = after;
    }
    // The merged pair is gone from every word, and already removed.
    changes.remove(pair(left, right));
    changes.forEach(
        (pair, change) -> {
          if (change == 0) {
            return;
          }
          PairOccurrences changed = pairs.get(pair);
          changed.count += change;
          if (changed.count == 0) {
            pairs.remove(pair);
          } else {
            queue.add(new Candidate(pair, changed.count));
          }
        });
  }

  /**
   * Replaces each occurrence of (left, right), from left to right, as GPT-2's {@code bpe} and
   * minbpe's {@code merge} do: "aaa" with (a, a) gives "aa a". Returns {@code symbols} itself when
   * the pair does not occur.
   */
  private static int[] merge(int[] symbols, int left, int right, int id) {
    int[] merged = new int[symbols.length];
    int length = 0;
    for (int i = 0; i < symbols.length; i++) {
      if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
        merged[length++] = id;
        i++;
      } else {
        merged[length++] = symbols[i];
      }
    }
    return length == symbols.length ? symbols : Arrays.copyOf(merged, length);
  }

  /** Higher count first, then the smaller left token's bytes, then the smaller right token's. */
  private int compare(Candidate a, Candidate b) {
    int byCount = Long.compare(b.count(), a.count());
    if (byCount != 0) {
      return byCount;
    }
    int byLeft =
        Arrays.compareUnsigned(tokenBytes.get(left(a.pair())), tokenBytes.get(left(b.pair())));
    if (byLeft != 0) {
      return byLeft;
    }
    return Arrays.compareUnsigned(tokenBytes.get(right(a.pair())), tokenBytes.get(right(b.pair())));
  }

  private static long pair(int left, int right) {
    return ((long) left << 32) | right;
  }

  private static int left(long pair) {
    return (int) (pair >>> 32);
  }

  private static int right(long pair) {
    return (int) pair;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
