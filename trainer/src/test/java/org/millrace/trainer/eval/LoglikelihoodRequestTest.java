package org.millrace.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.tokenizer.CharacterTokenizer;

class LoglikelihoodRequestTest {

  // ' ' = 0, '\n' sorts first: '\n' = 0, ' ' = 1, a = 2, b = 3, end-of-text = 4
  static final CharacterTokenizer CHARS =
      new CharacterTokenizer(new int[] {'\n', ' ', 'a', 'b'}, List.of("<|endoftext|>"));

  @Test
  void theContinuationIsWhatFollowsTheContextsTokens() {
    LoglikelihoodRequest request = LoglikelihoodRequest.encode(CHARS, "ab", " ba");

    assertThat(request.context()).containsExactly(2, 3);
    assertThat(request.continuation()).containsExactly(1, 3, 2);
  }

  @Test
  void trailingWhitespaceOfTheContextMovesIntoTheContinuation() {
    LoglikelihoodRequest request = LoglikelihoodRequest.encode(CHARS, "a \n", "b");

    assertThat(request.context()).containsExactly(2);
    assertThat(request.continuation()).containsExactly(1, 0, 3);
  }

  @Test
  void anEmptyContextIsTheEndOfTextToken() {
    LoglikelihoodRequest request = LoglikelihoodRequest.encode(CHARS, "", " ab");

    assertThat(request.context()).containsExactly(4);
    assertThat(request.continuation()).containsExactly(1, 2, 3);
  }
}
