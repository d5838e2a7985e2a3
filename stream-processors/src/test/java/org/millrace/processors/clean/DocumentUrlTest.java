package org.millrace.processors.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;

class DocumentUrlTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.org/",
        "http://example.org",
        "HTTPS://Example.org/a?b=c#d",
        "http://127.0.0.1:8080/x y",
        "https://user@example.org/"
      })
  void webAddressesPass(String url) {
    assertThatCode(() -> DocumentUrl.check(url)).doesNotThrowAnyException();
  }

  @Test
  void aDocumentWithoutAUrlPasses() {
    assertThatCode(() -> DocumentUrl.check(null)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<p>hi</p>",
        "ftp://example.org/",
        "/a/relative/path",
        "example.org/no/scheme",
        "https://",
        "http:///path-without-host",
        ""
      })
  void otherAddressesAreInvalid(String url) {
    assertThatThrownBy(() -> DocumentUrl.check(url))
        .isInstanceOfSatisfying(
            DocumentRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_URL));
  }

  @Test
  void anAddressLongerThanServersAnswerIsInvalid() {
    String atTheLimit = "https://example.org/" + "a".repeat(DocumentUrl.MAX_LENGTH - 20);
    assertThatCode(() -> DocumentUrl.check(atTheLimit)).doesNotThrowAnyException();
    assertThatThrownBy(() -> DocumentUrl.check(atTheLimit + "a"))
        .isInstanceOfSatisfying(
            DocumentRejectedException.class,
            e -> assertThat(e.detail()).contains("8001 characters; at most 8000"));
  }
}
