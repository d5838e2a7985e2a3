package org.millrace.tokenizer.bpe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the words that byte-level BPE merges within, with GPT-2's regular expression
 * (openai/gpt-2 {@code src/encoder.py}), exactly as the Hugging Face {@code ByteLevel}
 * pre-tokenizer does with {@code add_prefix_space: false, use_regex: true} (tokenizers {@code
 * pre_tokenizers/byte_level.rs}). A word is a contraction suffix, a run of letters, of numbers or
 * of other symbols (each with at most one leading space), or a run of whitespace; a merge never
 * crosses two words, so no token mixes letters and punctuation, for example.
 *
 * <p>Hugging Face runs the expression with Oniguruma, where {@code \s}, {@code \p{L}} and {@code
 * \p{N}} are Unicode classes; Java needs {@link Pattern#UNICODE_CHARACTER_CLASS} for {@code \s} to
 * mean Unicode {@code White_Space} (NBSP, U+3000, U+0085 ...) rather than the six ASCII spaces.
 * {@code GptPreTokenizerTest} checks the two against each other through DJL.
 */
public final class GptPreTokenizer {

  /**
   * GPT-2's expression. The contractions are lower case only (a known wart kept for compatibility),
   * and {@code \s+(?!\S)} leaves the last space of a run to the next word: "a", three spaces, "b"
   * give the words "a", two spaces, and " b".
   */
  private static final Pattern GPT2_PATTERN =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private GptPreTokenizer() {}

  /**
   * The words of {@code text}, as pieces of it; concatenated, they give {@code text} back, since
   * every character matches one of the alternatives.
   */
  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    Matcher matcher = GPT2_PATTERN.matcher(text);
    while (matcher.find()) {
      words.add(matcher.group());
    }
    return words;
  }

  /** The words of {@code text} in byte-level form, as the BPE model sees them. */
  public static List<String> byteLevelWords(String text) {
    List<String> words = split(text);
    words.replaceAll(ByteLevelAlphabet::encode);
    return words;
  }
}
