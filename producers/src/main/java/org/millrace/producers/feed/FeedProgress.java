package org.millrace.producers.feed;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What Kafka has acknowledged of each input file, kept under {@code data.dir/feed-progress} so that
 * a feed run again after an interruption skips it: one small properties file per input file, named
 * by a hash of its absolute path, holding the file's size and modification time (a changed file is
 * fed again from the start), the numbers of its acknowledged records and whether all of them were.
 * It is written only from what the producer's callbacks confirmed, and replaced atomically (write,
 * then rename), so a crash leaves the previous state or the new one.
 */
final class FeedProgress {

  private final Path dir;

  /**
   * @param dir null keeps no progress: every file is fed from its start
   */
  FeedProgress(Path dir) {
    this.dir = dir;
  }

  /** One file's progress: what a resumed feed skips. */
  record FileState(boolean complete, long watermark, List<Long> aboveWatermark) {
    static final FileState NONE = new FileState(false, 0, List.of());
  }

  FileState load(Path file) throws IOException {
    if (dir == null) {
      return FileState.NONE;
    }
    Path state = stateFile(file);
    if (!Files.isRegularFile(state)) {
      return FileState.NONE;
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(state, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    if (!fingerprintOf(file).equals(properties.getProperty("fingerprint"))) {
      return FileState.NONE;
    }
    String above = properties.getProperty("acknowledged.above", "");
    return new FileState(
        Boolean.parseBoolean(properties.getProperty("complete")),
        Long.parseLong(properties.getProperty("acknowledged.below", "0")),
        above.isEmpty() ? List.of() : Arrays.stream(above.split(",")).map(Long::valueOf).toList());
  }

  void save(Path file, AcknowledgedRecords acknowledged, long records, boolean finished) {
    if (dir == null) {
      return;
    }
    long watermark = acknowledged.watermark();
    List<Long> above = new ArrayList<>(acknowledged.aboveWatermark());
    Properties properties = new Properties();
    try {
      properties.setProperty("file", file.toAbsolutePath().normalize().toString());
      properties.setProperty("fingerprint", fingerprintOf(file));
      properties.setProperty("acknowledged.below", Long.toString(watermark));
      properties.setProperty(
          "acknowledged.above",
          above.stream().map(String::valueOf).collect(Collectors.joining(",")));
      properties.setProperty("complete", Boolean.toString(finished && watermark == records));
      Files.createDirectories(dir);
      Path state = stateFile(file);
      Path next = state.resolveSibling(state.getFileName() + ".next");
      try (Writer out = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
        properties.store(out, "millrace feed: records of this file acknowledged by Kafka");
      }
      Files.move(next, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the feed's progress under " + dir, e);
    }
  }

  private Path stateFile(Path file) {
    return dir.resolve(Feeder.idOf(file.toAbsolutePath().normalize().toString()) + ".properties");
  }

  private static String fingerprintOf(Path file) throws IOException {
    return Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
  }
}
