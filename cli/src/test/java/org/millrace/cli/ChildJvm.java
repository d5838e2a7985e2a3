package org.millrace.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A process of its own on this test's class path, as a deployment runs each part: {@code millrace}
 * commands (with {@code --set} settings) or any main class. Small heaps and the C1 compiler only: a
 * test starts many of them on a small machine, and none runs long enough for C2 to pay.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /** {@code millrace COMMAND... --set KEY=VALUE...}, its output (both streams) to {@code log}. */
  public static Process millrace(Map<String, String> settings, Path log, String... command)
      throws IOException {
    List<String> arguments = new ArrayList<>(List.of(command));
    settings.forEach(
        (key, value) -> {
          arguments.add("--set");
          arguments.add(key + "=" + value);
        });
    return start(Millrace.class, log, arguments);
  }

  /**
   * {@code mainClass} with {@code arguments}, its output (both streams) appended to {@code log}.
   */
  public static Process start(Class<?> mainClass, Path log, List<String> arguments)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass.getName()));
    command.addAll(arguments);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }
}
