package org.millrace.producers.crawl;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The crawl's memory across restarts: an append-only text file, one event a line, replayed at
 * start. {@code Q depth redirects url requested-url} when a URL is queued (it is then seen), {@code
 * D url} when its page was fetched and its document or rejection acknowledged by Kafka, {@code X
 * url} when it was closed without a request (robots.txt).
 *
 * <p>Durability: each line is written to the operating system at once, so a killed crawler loses
 * nothing it logged; the file is forced to disk (fsync) every {@value #FSYNC_EVERY} lines and at
 * close, so a machine that loses power may forget the last lines: the pages they finished are
 * fetched again, and their children found again. A page whose request was in flight when the crawl
 * was killed (queued, not yet D) is fetched again on restart: at most {@code concurrency} pages. A
 * last line cut short by the kill is ignored.
 */
final class FrontierLog implements AutoCloseable {

  static final String FILE_NAME = "frontier.log";
  static final int FSYNC_EVERY = 1000;

  /** What the log held: the URLs queued (in order) and, of them, those finished. */
  record Replay(Map<String, CrawlTarget> queued, Map<String, Boolean> finished, long fetched) {}

  private final FileChannel channel;
  private int unforced;

  private FrontierLog(FileChannel channel) {
    this.channel = channel;
  }

  static FrontierLog open(Path folder) throws IOException {
    Files.createDirectories(folder);
    Path file = folder.resolve(FILE_NAME);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    FrontierLog log = new FrontierLog(channel);
    if (channel.size() > 0 && lastByte(file) != '\n') {
      log.append(""); // end the line a kill cut short, so the next event starts a line of its own
    }
    return log;
  }

  static Replay replay(Path folder) throws IOException {
    Map<String, CrawlTarget> queued = new LinkedHashMap<>();
    Map<String, Boolean> finished = new LinkedHashMap<>();
    long fetched = 0;
    Path file = folder.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return new Replay(queued, finished, 0);
    }
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] fields = line.split("\t", -1);
        if (fields[0].equals("Q") && fields.length == 5) {
          try {
            queued.putIfAbsent(
                fields[3],
                new CrawlTarget(
                    fields[3],
                    Integer.parseInt(fields[1]),
                    Integer.parseInt(fields[2]),
                    fields[4]));
          } catch (NumberFormatException e) {
            // a line cut short: ignored
          }
        } else if ((fields[0].equals("D") || fields[0].equals("X")) && fields.length == 2) {
          boolean wasFetched = fields[0].equals("D");
          if (finished.putIfAbsent(fields[1], wasFetched) == null && wasFetched) {
            fetched++;
          }
        }
      }
    }
    return new Replay(queued, finished, fetched);
  }

  void queued(CrawlTarget target) throws IOException {
    append(
        "Q\t"
            + target.depth()
            + "\t"
            + target.redirects()
            + "\t"
            + target.url()
            + "\t"
            + target.requestedUrl());
  }

  void fetched(String url) throws IOException {
    append("D\t" + url);
  }

  void closedWithoutFetch(String url) throws IOException {
    append("X\t" + url);
  }

  private void append(String line) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    if (++unforced >= FSYNC_EVERY) {
      channel.force(false);
      unforced = 0;
    }
  }

  private static int lastByte(Path file) throws IOException {
    try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      read.read(last, read.size() - 1);
      return last.get(0);
    }
  }

  @Override
  public void close() throws IOException {
    channel.force(false);
    channel.close();
  }
}
