package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextWordsTest {

  @Test
  void punctuationIsATokenOfItsOwnAndARunOfItIsOneToken() {
    assertThat(tokens("Hello, world... #tag (yes)?!"))
        .containsExactly("Hello", ",", "world", "...", "#", "tag", "(", "yes", ")?!");
  }

  @Test
  void apostrophesHyphensAndPeriodsBetweenLettersStayInTheWord() {
    assertThat(tokens("Don't e-mail me at 3.14, or 1,000 times; 'quoted' end."))
        .containsExactly(
            "Don't", "e-mail", "me", "at", "3.14", ",", "or", "1,000", "times", ";", "'", "quoted",
            "'", "end", ".");
  }

  @Test
  void aCommaBetweenLettersSplits() {
    assertThat(tokens("red,green")).containsExactly("red", ",", "green");
  }

  @Test
  void wordsOfAnyScriptAndNoBreakSpacesSeparate() {
    TextWords words = TextWords.of("Grüße\u00A0東京 naïve — 𝒜b");

    assertThat(tokens("Grüße\u00A0東京 naïve — 𝒜b"))
        .containsExactly("Grüße", "東京", "naïve", "—", "𝒜b");
    assertThat(words.length(4)).as("code points, not UTF-16 units").isEqualTo(2);
    assertThat(words.isWord(3)).isFalse();
    assertThat(words.hasLetter(3)).isFalse();
  }

  @Test
  void digitsAreWordsWithoutLetters() {
    TextWords words = TextWords.of("2024 x1");

    assertThat(words.isWord(0)).isTrue();
    assertThat(words.hasLetter(0)).isFalse();
    assertThat(words.hasLetter(1)).isTrue();
  }

  @Test
  void aTextOfWhitespaceHasNoTokens() {
    assertThat(TextWords.of(" \n\t\u2003").count()).isZero();
    assertThat(TextWords.of("").count()).isZero();
  }

  private static List<String> tokens(String text) {
    TextWords words = TextWords.of(text);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < words.count(); i++) {
      tokens.add(words.get(i));
    }
    return tokens;
  }
}
