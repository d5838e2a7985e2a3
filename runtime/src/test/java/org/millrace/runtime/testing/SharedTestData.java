package org.millrace.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's shared real test data: the folder {@code shared/data} beside the repository root
 * (see its README), absent from a plain clone. A test that needs a file of it calls {@link
 * #require(String)} or one of the named files, and is skipped loudly where the file is absent: a
 * line on stderr names the test and the missing path, and the skip's message says the same.
 */
public final class SharedTestData {

  /** nanoGPT's tiny Shakespeare, relative to the shared data folder. */
  public static final String TINY_SHAKESPEARE = "tinyshakespeare/input.txt";

  private SharedTestData() {}

  /**
   * The shared data folder: {@code ../shared/data} from the repository root, the first folder up
   * from the working directory that holds {@code mvnw}.
   */
  public static Path folder() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        Path parent = dir.getParent() == null ? dir : dir.getParent();
        return parent.resolve("shared").resolve("data");
      }
    }
    // not inside the repository: the conventional place relative to a module folder
    return start.resolve("../../shared/data").normalize();
  }

  /** The shared file or folder {@code relative}, if it is there. */
  public static Optional<Path> find(String relative) {
    Path path = folder().resolve(relative);
    return Files.exists(path) ? Optional.of(path) : Optional.empty();
  }

  /**
   * The shared file or folder {@code relative}; the calling test is skipped, loudly, without it.
   */
  public static Path require(String relative) {
    Path path = folder().resolve(relative);
    if (!Files.exists(path)) {
      String message =
          "SKIPPED "
              + callingTest()
              + ": the shared test data "
              + path
              + " is absent (shared/data beside the repository, see its README)";
      System.err.println(message);
      Assumptions.abort(message);
    }
    return path;
  }

  /** The WARC, WET or WAT file {@code name} of {@code shared/data/warc}. */
  public static Path warc(String name) {
    return require("warc/" + name);
  }

  /** The folder {@code shared/data/warc}. */
  public static Path warcs() {
    return require("warc");
  }

  /** nanoGPT's tiny Shakespeare, 1,115,394 bytes: {@code shared/data/tinyshakespeare/input.txt}. */
  public static Path tinyShakespeare() {
    return require(TINY_SHAKESPEARE);
  }

  /** The text of {@link #tinyShakespeare()}. */
  public static String tinyShakespeareText() throws IOException {
    return Files.readString(tinyShakespeare());
  }

  /** The nearest caller on the stack that looks like a test ({@code Class.method}). */
  private static String callingTest() {
    List<StackWalker.StackFrame> callers =
        StackWalker.getInstance()
            .walk(
                frames ->
                    frames
                        .filter(f -> !f.getClassName().equals(SharedTestData.class.getName()))
                        .toList());
    return callers.stream()
        .filter(f -> simpleName(f).endsWith("Test") || simpleName(f).endsWith("IT"))
        .findFirst()
        .or(() -> callers.stream().findFirst())
        .map(f -> simpleName(f) + "." + f.getMethodName())
        .orElse("a test");
  }

  private static String simpleName(StackWalker.StackFrame frame) {
    String name = frame.getClassName();
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
