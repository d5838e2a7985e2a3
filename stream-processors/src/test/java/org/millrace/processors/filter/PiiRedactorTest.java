package org.millrace.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiRedactorTest {

  private static final PiiRedactor.Settings MARKED =
      new PiiRedactor.Settings(true, true, List.of("[EMAIL]"), List.of("[IP]"));

  private static String redact(String text) {
    FilterDocument document = FilterDocument.ofText(text);
    FilterVerdict verdict = new PiiRedactor(MARKED).apply(document);
    assertThat(verdict).isEqualTo(FilterVerdict.keep());
    return document.text();
  }

  @Test
  void emailsNextToPunctuationAreReplacedAndThePunctuationKept() {
    assertThat(redact("Write to (jane.doe@mail.example.net), or <bob+news@host.org>."))
        .isEqualTo("Write to ([EMAIL]), or <[EMAIL]>.");
    assertThat(redact("mailto:info@shop.de; \"x_y@z.io\", end@dot.com."))
        .isEqualTo("mailto:[EMAIL]; \"[EMAIL]\", [EMAIL].");
  }

  @Test
  void anAtSignWithoutADomainIsNotAnEmail() {
    String text = "Follow @millrace, meet me @ 5, and user@localhost is not a public address.";
    assertThat(redact(text)).isEqualTo(text);
  }

  @Test
  void publicAddressesAreReplacedWithThePortAndSentenceKept() {
    assertThat(redact("The server at 8.8.8.8:53 answered; then 81.2.69.160."))
        .isEqualTo("The server at [IP]:53 answered; then [IP].");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1",
        "169.254.10.20", "100.64.0.1", "0.0.0.0", "192.0.2.44", "198.51.100.7", "203.0.113.9",
        "198.18.0.1", "224.0.0.251", "255.255.255.255", "240.1.2.3"
      })
  void privateLoopbackLinkLocalAndDocumentationAddressesAreKept(String address) {
    assertThat(redact("host " + address + " here")).isEqualTo("host " + address + " here");
  }

  @ParameterizedTest
  @ValueSource(strings = {"172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1"})
  void addressesJustOutsideThePrivateBlocksArePublic(String address) {
    assertThat(redact("host " + address + " here")).isEqualTo("host [IP] here");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "version 1.2.3.4.5 released",
        "version 81.2.69.160.1 released",
        "value 999.1.1.1 out of range",
        "value 81.2.69.256 out of range",
        "build v8.8.8.8 tagged",
        "section 1.81.2.69.160 of the manual",
        "octal-looking 081.2.69.160 left alone",
        "OID 2.5.4.3.81.2.69.160",
      })
  void versionNumbersAndOutOfRangeQuadsAreNotTouched(String text) {
    assertThat(redact(text)).isEqualTo(text);
  }

  @Test
  void countsAreRecordedAsSignals() {
    FilterDocument document =
        FilterDocument.ofText("a@b.com c@d.org 8.8.8.8 10.0.0.1 1.1.1.1 9.9.9.9");
    new PiiRedactor(PiiRedactor.Settings.DEFAULTS).apply(document);
    assertThat(document.signals()).containsEntry("pii.emails", 2.0);
    assertThat(document.signals()).containsEntry("pii.ip_addresses", 3.0);
  }

  @Test
  void datatrovesPlaceholdersCycleFromTheFirstInEveryDocument() {
    PiiRedactor redactor = new PiiRedactor(PiiRedactor.Settings.DEFAULTS);
    for (int i = 0; i < 2; i++) {
      FilterDocument document = FilterDocument.ofText("a@b.com, c@d.org, e@f.net");
      redactor.apply(document);
      assertThat(document.text())
          .isEqualTo("email@example.com, firstname.lastname@example.org, email@example.com");
    }
  }

  @Test
  void disabledRulesLeaveTheTextAlone() {
    FilterDocument document = FilterDocument.ofText("a@b.com 8.8.8.8");
    new PiiRedactor(new PiiRedactor.Settings(false, false, List.of("x"), List.of("y")))
        .apply(document);
    assertThat(document.text()).isEqualTo("a@b.com 8.8.8.8");
    assertThat(document.signals()).containsEntry("pii.emails", 0.0);
  }

  @Test
  void aLongRunOfAddressCharactersWithoutAnAtSignIsLeftAlone() {
    String text = "a-".repeat(50_000) + "@";
    assertThat(redact(text)).isEqualTo(text);
  }
}
