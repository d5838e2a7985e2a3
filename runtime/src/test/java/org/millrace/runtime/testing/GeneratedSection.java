package org.millrace.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a document that code generates (a table of configuration keys, of filter parameters),
 * between two marker lines. A test checks the document against the code and, so that a change is
 * easy to take in, writes the part as it should be to a file under {@code target/}.
 */
public final class GeneratedSection {

  private GeneratedSection() {}

  /**
   * Fails unless the text between {@code begin} and {@code end} in {@code document} is {@code
   * expected} (both stripped); writes {@code expected} to {@code target/<written>} first.
   */
  public static void check(Path document, String begin, String end, String expected, String written)
      throws IOException {
    Files.createDirectories(Path.of("target"));
    Path copy = Path.of("target", written);
    Files.writeString(copy, expected);

    String text = Files.readString(document);
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    assertThat(from).as("marker %s in %s", begin, document).isNotNegative();
    assertThat(to).as("marker %s in %s", end, document).isGreaterThan(from);
    assertThat(text.substring(from + begin.length(), to).strip())
        .as("the generated part of %s; %s has it as it should be", document, copy)
        .isEqualTo(expected.strip());
  }
}
