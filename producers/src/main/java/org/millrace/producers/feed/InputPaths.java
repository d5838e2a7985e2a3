package org.millrace.producers.feed;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The paths a {@code millrace feed} argument names: the path itself, or, for a glob the shell did
 * not expand ({@code 'corpus/**}{@code /*.txt'}), the files it matches, in sorted order. Java's
 * {@code **}{@code /} needs at least one folder; here it also matches none, as in bash's globstar.
 */
public final class InputPaths {

  private static final String GLOB_CHARACTERS = "*?[{";

  private InputPaths() {}

  public static List<Path> expand(String argument) throws IOException {
    if (!isGlob(argument) || Files.exists(Path.of(argument))) {
      return List.of(Path.of(argument));
    }
    String[] parts = argument.split("/", -1);
    StringBuilder base = new StringBuilder(argument.startsWith("/") ? "/" : "");
    for (String part : parts) {
      if (isGlob(part)) {
        break;
      }
      if (!part.isEmpty()) {
        base.append(part).append('/');
      }
    }
    Path root = Path.of(base.isEmpty() ? "." : base.toString());
    if (!Files.isDirectory(root)) {
      throw new IOException("no such folder for the pattern " + argument + ": " + root);
    }
    String pattern = base.isEmpty() ? "./" + argument : argument;
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    PathMatcher zeroFolders =
        FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace("**/", ""));
    List<Path> matches = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .filter(path -> matcher.matches(path) || zeroFolders.matches(path))
          .sorted()
          .forEach(matches::add);
    }
    if (matches.isEmpty()) {
      throw new IOException("no file matches " + argument);
    }
    return matches;
  }

  private static boolean isGlob(String text) {
    return text.chars().anyMatch(c -> GLOB_CHARACTERS.indexOf(c) >= 0);
  }
}
