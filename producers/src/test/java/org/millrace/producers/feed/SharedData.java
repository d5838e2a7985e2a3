package org.millrace.producers.feed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's shared real data (../shared/data, see its README), or a loud skip without it. */
final class SharedData {

  private SharedData() {}

  static Path warc(String name) {
    Path file = Path.of("..", "..", "shared", "data", "warc", name);
    if (!Files.isRegularFile(file)) {
      String message = "SKIPPED: " + file.toAbsolutePath().normalize() + " is absent (shared data)";
      System.err.println(message);
      assumeTrue(false, message);
    }
    return file;
  }
}
