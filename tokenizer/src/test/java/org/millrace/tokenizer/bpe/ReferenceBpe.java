package org.millrace.tokenizer.bpe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The textbook BPE loop (Sennrich et al. 2016, Algorithm 1; minbpe's {@code RegexTokenizer.train}),
 * slow and obviously right, to check {@link BpeTrainer} against: at every merge it recounts every
 * pair over all words, takes the most frequent (ties: the smaller left token's bytes, then the
 * smaller right token's), and rewrites every word.
 */
final class ReferenceBpe {

  private ReferenceBpe() {}

  static List<BpeModel.Merge> merges(String text, int newTokens) {
    Map<String, Long> wordCounts = new HashMap<>();
    for (String word : GptPreTokenizer.byteLevelWords(text)) {
      wordCounts.merge(word, 1L, Long::sum);
    }
    List<List<String>> words = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    wordCounts.forEach(
        (word, count) -> {
          List<String> symbols = new ArrayList<>();
          for (char c : word.toCharArray()) {
            symbols.add(String.valueOf(c));
          }
          words.add(symbols);
          counts.add(count);
        });

    Set<String> learned = new HashSet<>();
    List<BpeModel.Merge> merges = new ArrayList<>();
    while (learned.size() < newTokens) {
      Map<BpeModel.Merge, Long> pairCounts = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<String> symbols = words.get(w);
        for (int i = 0; i + 1 < symbols.size(); i++) {
          pairCounts.merge(
              new BpeModel.Merge(symbols.get(i), symbols.get(i + 1)), counts.get(w), Long::sum);
        }
      }
      BpeModel.Merge best = null;
      for (Map.Entry<BpeModel.Merge, Long> candidate : pairCounts.entrySet()) {
        if (best == null || isBetter(candidate.getKey(), candidate.getValue(), best, pairCounts)) {
          best = candidate.getKey();
        }
      }
      if (best == null) {
        break;
      }
      merges.add(best);
      learned.add(best.left() + best.right());
      for (List<String> symbols : words) {
        for (int i = 0; i + 1 < symbols.size(); i++) {
          if (symbols.get(i).equals(best.left()) && symbols.get(i + 1).equals(best.right())) {
            symbols.set(i, best.left() + best.right());
            symbols.remove(i + 1);
          }
        }
      }
    }
    return merges;
  }

  private static boolean isBetter(
      BpeModel.Merge pair, long count, BpeModel.Merge best, Map<BpeModel.Merge, Long> counts) {
    long bestCount = counts.get(best);
    if (count != bestCount) {
      return count > bestCount;
    }
    int byLeft = Arrays.compareUnsigned(bytes(pair.left()), bytes(best.left()));
    if (byLeft != 0) {
      return byLeft < 0;
    }
    return Arrays.compareUnsigned(bytes(pair.right()), bytes(best.right())) < 0;
  }

  private static byte[] bytes(String token) {
    return ByteLevelAlphabet.decode(token);
  }
}
