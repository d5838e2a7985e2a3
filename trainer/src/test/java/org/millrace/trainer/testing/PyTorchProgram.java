package org.millrace.trainer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Python program run with PyTorch by a test that compares us with it: Debian's {@code
 * /usr/bin/python3} with {@code python3-torch}. A test class calls {@link #assumeTorch} first, so
 * that it skips, and says so on stderr, where PyTorch is not installed.
 */
public final class PyTorchProgram {

  /** The interpreter: Debian's, where {@code apt-get install python3-torch} puts PyTorch. */
  public static final String PYTHON = "/usr/bin/python3";

  private PyTorchProgram() {}

  /** Skips the tests of {@code testClass}, saying why on stderr, unless PyTorch is importable. */
  public static void assumeTorch(Class<?> testClass) throws Exception {
    boolean available = false;
    if (Files.isExecutable(Path.of(PYTHON))) {
      Process probe =
          new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      available = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }
    if (!available) {
      System.err.println(
          "SKIPPED "
              + testClass.getSimpleName()
              + ": "
              + PYTHON
              + " cannot import torch (install python3-torch to run it)");
    }
    Assumptions.assumeTrue(available, PYTHON + " cannot import torch: install python3-torch");
  }

  /**
   * Runs {@code script} with {@code arguments} and reads what it prints as JSON, failing with its
   * stderr when it exits with an error or takes longer than {@code timeoutSeconds}.
   */
  public static JsonNode run(Path script, long timeoutSeconds, String... arguments)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
    command.addAll(List.of(arguments));
    Process python = new ProcessBuilder(command).start();
    byte[] stdout = python.getInputStream().readAllBytes();
    String stderr = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(timeoutSeconds, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue()).as(stderr).isZero();
    return new ObjectMapper().readTree(stdout);
  }
}
