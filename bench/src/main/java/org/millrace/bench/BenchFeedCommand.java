package org.millrace.bench;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.producers.feed.FeedSettings;
import org.millrace.producers.feed.FeedSummary;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench feed}: how close the feeder comes to what a plain producer sends, from a
 * gzipped WARC and from JSONL.
 */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    header = "MB/s and documents/s of 'millrace feed' against a plain producer of the same bytes.",
    description = {
      "Writes --documents HTML pages of about --document-bytes bytes (pseudo-words) as a .warc.gz"
          + " (one gzip",
      "member per response record, as Common Crawl's) and their text as a .jsonl file, then, on"
          + " one embedded",
      "broker, in this run, for each: (a) a plain producer (the feeder's settings: idempotent,"
          + " acks=all) sends",
      "the documents' bytes, already in memory, one record each, to a topic of its own; (b) the"
          + " feeder feeds",
      "the file (detect, read, decode, Avro, progress kept) to docs.raw. Both timed to the last"
          + " acknowledgement.",
      "Each is run once untimed first (JIT, broker). MB/s counts the documents' bytes. The last"
          + " lines read",
      "RESULT ... ratio=<feed/plain> ... cpu_us_per_document=<CPU of the feeding thread>: what"
          + " reading,",
      "decoding, Avro and the producer's send cost in the thread that calls them, which a busy"
          + " machine moves less than the wall time."
    })
public final class BenchFeedCommand implements Callable<Integer> {

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Mixin DocumentCount corpusSize;

  @Option(
      names = "--document-bytes",
      defaultValue = "5000",
      description = "Bytes of text per document (default: ${DEFAULT-VALUE}).")
  int documentBytes;

  /**
   * @param threadCpuSeconds CPU time of the thread that read and sent (the producer's I/O thread
   *     and the broker apart): unlike the wall time, it hardly moves with the load of a shared
   *     machine
   */
  private record Measured(double seconds, long documents, long bytes, double threadCpuSeconds) {
    double cpuMicrosPerDocument() {
      return threadCpuSeconds * 1e6 / documents;
    }

    double megabytesPerSecond() {
      return bytes / 1e6 / seconds;
    }

    double documentsPerSecond() {
      return documents / seconds;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dataDir = Files.createTempDirectory("millrace-bench-feed");
    try {
      List<String> texts = texts(corpusSize.count, documentBytes, new Random(42));
      Path warc = dataDir.resolve("corpus.warc.gz");
      List<byte[]> pages = writeWarc(warc, texts);
      Path jsonl = dataDir.resolve("corpus.jsonl");
      List<byte[]> lines = writeJsonl(jsonl, texts);
      out.printf(
          "corpus: %,d documents; %s %,d bytes, %s %,d bytes%n",
          corpusSize.count,
          warc.getFileName(),
          Files.size(warc),
          jsonl.getFileName(),
          Files.size(jsonl));
      out.flush();
      try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
        for (var input : List.of(Map.entry(warc, pages), Map.entry(jsonl, lines))) {
          String name = input.getKey().getFileName().toString().replace('.', '-');
          MillraceConfig plainTopics = config(broker, dataDir, name + "-plain");
          MillraceConfig feedTopics = config(broker, dataDir, name + "-feed");
          // A first, untimed pass of each warms the JVM and the topics (a topic just created can
          // answer NOT_LEADER_OR_FOLLOWER for a while on a busy machine) for both alike.
          plainProducer(plainTopics, input.getValue());
          feed(feedTopics, input.getKey());
          Measured plain = plainProducer(plainTopics, input.getValue());
          Measured feed = feed(feedTopics, input.getKey());
          report(out, input.getKey().getFileName() + ", plain producer", plain);
          report(out, input.getKey().getFileName() + ", millrace feed", feed);
          out.printf(
              "RESULT feed %s MB/s=%.1f documents/s=%.0f ratio=%.2f (plain producer MB/s=%.1f)"
                  + " cpu_us_per_document=%.0f (plain producer %.0f)%n",
              input.getKey().getFileName(),
              feed.megabytesPerSecond(),
              feed.documentsPerSecond(),
              feed.megabytesPerSecond() / plain.megabytesPerSecond(),
              plain.megabytesPerSecond(),
              feed.cpuMicrosPerDocument(),
              plain.cpuMicrosPerDocument());
          out.flush();
        }
      }
    } finally {
      StageBenchmark.deleteScratch(dataDir);
    }
    return 0;
  }

  private static void report(PrintWriter out, String name, Measured measured) {
    out.printf(
        "%-38s %,8.0f documents/s, %6.1f MB/s (%,d documents, %,d bytes, %.2f s; its thread's"
            + " CPU %.0f µs/document)%n",
        name + ":",
        measured.documentsPerSecond(),
        measured.megabytesPerSecond(),
        measured.documents(),
        measured.bytes(),
        measured.seconds(),
        measured.cpuMicrosPerDocument());
    out.flush();
  }

  private Measured plainProducer(MillraceConfig config, List<byte[]> documents) {
    Topics topics = Topics.of(config);
    long bytes = documents.stream().mapToLong(d -> d.length).sum();
    long start = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "bench-plain"))) {
      int i = 0;
      for (byte[] document : documents) {
        producer.send(
            new ProducerRecord<>(
                topics.raw(), Integer.toString(i++).getBytes(StandardCharsets.UTF_8), document));
      }
      producer.flush();
      return new Measured(
          (System.nanoTime() - start) / 1e9,
          documents.size(),
          bytes,
          (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
    }
  }

  /** Feeds the file without reading or keeping progress: from the start each time. */
  private Measured feed(MillraceConfig config, Path file) throws Exception {
    long start = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    try (Feeder feeder = new Feeder(config, FeedSettings.defaults().withResume(false))) {
      FeedSummary summary = feeder.feed(List.of(file));
      if (summary.rejected() > 0) {
        throw new IllegalStateException("the benchmark's corpus had rejects: " + summary);
      }
      return new Measured(
          (System.nanoTime() - start) / 1e9,
          summary.documents(),
          summary.bytes(),
          (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
    }
  }

  private MillraceConfig config(EmbeddedKafkaBroker broker, Path dataDir, String name)
      throws Exception {
    MillraceConfig config =
        parent
            .millrace
            .config()
            .with(
                Map.of(
                    MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                    MillraceConfig.DATA_DIR, dataDir.resolve(name).toString(),
                    MillraceConfig.TOPICS_PREFIX, name + "."));
    // Right after creating topics, a busy embedded broker may not host their partitions yet
    // ("This server does not host this topic-partition"): ask again, a few times.
    for (int attempt = 1; ; attempt++) {
      try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
        TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
        return config;
      } catch (IllegalStateException e) {
        if (attempt == 10) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  /** Pseudo-text of English-like word lengths: what matters here is bytes, not meaning. */
  private static List<String> texts(int count, int bytes, Random random) {
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder(bytes + 16);
      while (text.length() < bytes) {
        int length = 2 + random.nextInt(8);
        for (int c = 0; c < length; c++) {
          text.append((char) ('a' + random.nextInt(26)));
        }
        text.append(random.nextInt(12) == 0 ? ".\n" : " ");
      }
      texts.add(text.toString());
    }
    return texts;
  }

  /** A WARC of response records, one gzip member each; returns the HTML payloads. */
  private static List<byte[]> writeWarc(Path file, List<String> texts) throws Exception {
    List<byte[]> pages = new ArrayList<>(texts.size());
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        WarcWriter writer = new WarcWriter(channel, WarcCompression.GZIP)) {
      int i = 0;
      for (String text : texts) {
        byte[] html =
            ("<html><body><p>" + text + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
        byte[] header =
            ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: "
                    + html.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] http = new byte[header.length + html.length];
        System.arraycopy(header, 0, http, 0, header.length);
        System.arraycopy(html, 0, http, header.length, html.length);
        writer.write(
            new WarcResponse.Builder(URI.create("https://bench.example/" + i++))
                .date(Instant.parse("2024-05-18T01:58:10Z"))
                .body(MediaType.HTTP_RESPONSE, http)
                .build());
        pages.add(html);
      }
    }
    return pages;
  }

  /** One JSON line per text; returns the texts' bytes. */
  private static List<byte[]> writeJsonl(Path file, List<String> texts) throws Exception {
    List<byte[]> documents = new ArrayList<>(texts.size());
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String text : texts) {
        writer.write("{\"text\": \"" + text.replace("\n", "\\n") + "\", \"lang\": \"xx\"}\n");
        documents.add(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    return documents;
  }
}
