package org.millrace.tokenizer.bpe;

import java.io.IOException;
import org.millrace.runtime.testing.SharedTestData;

/** Texts the BPE tests train on and encode. */
final class TestCorpora {

  /**
   * What a web corpus throws at a byte-level tokenizer: emoji (with ZWJ sequences, flags and skin
   * tones), CJK, right-to-left scripts with their own digits, combining marks both in NFC text and
   * decomposed, tabs, CR LF, runs of blank lines, control characters and Unicode spaces.
   */
  static final String MULTILINGUAL =
      String.join(
          "\n",
          "The quick brown fox jumps over the lazy dog. It's 3.14, isn't it? We'll see; they'd've.",
          "Emoji: 🚀🔥 👩‍👩‍👧‍👦 🇫🇷🇯🇵 👍🏽 ❤️ 🙂🙂🙂",
          "CJK: 東京は日本の首都です。北京是中国的首都。서울은 한국의 수도입니다.",
          "Arabic: مرحبا بالعالم، كيف حالك؟ ١٢٣٤ والسلام",
          "Hebrew: שלום עולם! מה שלומך? שָׁלוֹם",
          "NFC: Ελληνικά, Tiếng Việt ở Đông Nam Á, हिन्दी नमस्ते, ﷽",
          "Decomposed: e\u0301te\u0301 a\u0308 n\u0303",
          "Tabs:\tcol1\tcol2\t\tcol3\r\n    indented\n\n\n   \t trailing   ",
          "Controls: \u0000\u0001\u0007\u001b[31mred\u001b[0m\u007f\u0085\u200b\u200d\u2028"
              + "\u00a0nbsp\u3000ideographic\ufeff end");

  private TestCorpora() {}

  /** 1,115,394 bytes of Shakespeare, or the test is skipped, loudly, without the shared data. */
  static String shakespeare() throws IOException {
    return SharedTestData.tinyShakespeareText();
  }
}
