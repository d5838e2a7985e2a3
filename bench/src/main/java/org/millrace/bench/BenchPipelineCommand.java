package org.millrace.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.millrace.cli.Millrace;
import org.millrace.cli.commands.DemoCommand;
import org.millrace.cli.status.StatusReader;
import org.millrace.cli.status.StatusReport;
import org.millrace.processors.Stage;
import org.millrace.processors.Stages;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.tokenizer.TokenizerKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench pipeline}: raw HTML in at the top, documents out at the bottom, the trainer
 * off. Each stage runs as its own process ({@code millrace clean}, {@code dedup}, {@code
 * tokenize}), as compose runs them, against a broker in this process; the pages are written to
 * docs.raw once every stage has joined its group, and the clock stops when every stage has read its
 * input and its own internal topics to the end ({@code millrace status}'s lag and internalLag).
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    header = "Documents/s and MB/s of HTML through clean, dedup and tokenize, end to end.",
    description = {
      "The HTML pages of the demo corpus (and of the Common Crawl WARCs in --warcs DIR, when",
      "given) as RawDocuments into docs.raw, through every stage, each a process of its own with",
      "one stream thread, until each has drained. Once with one instance per stage, then with",
      "--instances N per stage (separate processes), on topics of --partitions partitions, each",
      "run on a fresh broker. Prints documents/s, MB/s of HTML, and each stage's CPU over the run",
      "(cores busy: its processes' CPU time over the wall time); the broker and this harness share",
      "this process. The last line reads docs/s=<number> (the run with one instance per stage)."
    })
public final class BenchPipelineCommand implements Callable<Integer> {

  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(20);

  @ParentCommand BenchCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--warcs",
      paramLabel = "DIR",
      description = "A folder of Common Crawl .warc.gz files whose HTML responses are fed too.")
  Path warcs;

  @Option(
      names = "--pages",
      defaultValue = "2000",
      description = "Javadoc pages of the demo corpus (default: ${DEFAULT-VALUE}).")
  int javadocPages;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--instances",
      defaultValue = "2",
      description =
          "Instances per stage in the second run; 1 runs only the first (default:"
              + " ${DEFAULT-VALUE}).")
  int instances;

  @Option(
      names = "--tokenizer",
      paramLabel = "FILE",
      description = "The tokenizer of the tokenize stage (default: the byte-level tokenizer).")
  Path tokenizer;

  @Override
  public Integer call() throws Exception {
    if (instances < 1 || instances > partitions) {
      throw new IllegalArgumentException(
          "--instances must be between 1 and --partitions ("
              + partitions
              + "): an instance without a partition does nothing, not "
              + instances);
    }
    PrintWriter out = spec.commandLine().getOut();
    MillraceConfig base = parent.millrace.config();
    List<byte[]> pages =
        new ArrayList<>(BenchCleanCommand.javadocPages(DemoCommand.demoCorpus(base), javadocPages));
    int javadoc = pages.size();
    pages.addAll(BenchCleanCommand.commonCrawlPages(warcs));
    long htmlBytes = pages.stream().mapToLong(page -> page.length).sum();
    out.printf(
        "%,d pages (%,d javadoc, %,d Common Crawl), %.1f MB of HTML; %d partitions%n",
        pages.size(), javadoc, pages.size() - javadoc, htmlBytes / 1e6, partitions);
    out.flush();

    List<Integer> runs = instances == 1 ? List.of(1) : List.of(1, instances);
    double firstPerSecond = 0;
    for (int perStage : runs) {
      Run run = run(base, pages, perStage, out);
      out.printf(
          "RESULT pipeline, %d instance(s) per stage: %,d documents in %.1f s: %,.0f documents/s,"
              + " %.2f MB/s of HTML; CPU (cores busy) clean %.2f, dedup %.2f, tokenize %.2f,"
              + " broker and harness %.2f%n",
          perStage,
          pages.size(),
          run.seconds(),
          pages.size() / run.seconds(),
          htmlBytes / 1e6 / run.seconds(),
          run.cores().get(Stages.CLEAN.name()),
          run.cores().get(Stages.DEDUP.name()),
          run.cores().get(Stages.TOKENIZE.name()),
          run.cores().get("broker"));
      out.flush();
      if (perStage == 1) {
        firstPerSecond = pages.size() / run.seconds();
      }
    }
    out.printf("docs/s=%.0f%n", firstPerSecond);
    return 0;
  }

  /** What one run measured: its seconds, and the cores each part kept busy over them. */
  private record Run(double seconds, Map<String, Double> cores) {}

  private Run run(MillraceConfig base, List<byte[]> pages, int perStage, PrintWriter out)
      throws Exception {
    Path scratch = Files.createTempDirectory("millrace-bench-pipeline");
    List<StageProcess> processes = new ArrayList<>();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(scratch.resolve("kafka"), 0)) {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put(MillraceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
      settings.put(MillraceConfig.TOPICS_PARTITIONS, String.valueOf(partitions));
      settings.put(MillraceConfig.METRICS_PORT, "-1");
      if (tokenizer != null) {
        settings.put(TokenizerKeys.FILE, tokenizer.toAbsolutePath().toString());
      }
      MillraceConfig config = base.with(settings);
      try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
        TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
      }
      for (Stage stage : Stages.ALL) {
        for (int i = 0; i < perStage; i++) {
          processes.add(StageProcess.start(stage, i, settings, scratch));
        }
      }
      StatusReader status = new StatusReader(config);
      awaitMembers(status, perStage, processes);
      out.printf("%d instance(s) per stage: every stage has joined its group%n", perStage);
      out.flush();

      Map<String, Double> cpuBefore = cpuSeconds(processes);
      long start = System.nanoTime();
      produce(config, pages);
      awaitDrained(status, pages.size(), processes);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Double> cores = new LinkedHashMap<>();
      cpuSeconds(processes)
          .forEach((part, cpu) -> cores.put(part, (cpu - cpuBefore.get(part)) / seconds));
      return new Run(seconds, cores);
    } finally {
      for (StageProcess process : processes) {
        process.stop();
      }
      StageBenchmark.deleteScratch(scratch);
    }
  }

  private static void produce(MillraceConfig config, List<byte[]> pages) {
    String raw = Topics.of(config).raw();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClientProperties.producer(config, "bench-pipeline"))) {
      for (int i = 0; i < pages.size(); i++) {
        producer.send(
            new ProducerRecord<>(
                raw,
                ("page-" + i).getBytes(StandardCharsets.UTF_8),
                AvroSerde.rawDocument().encode(CleanBenchmark.page(i, pages.get(i)))));
      }
    }
  }

  /** Until each stage's group is stable with all its instances in it. */
  private static void awaitMembers(StatusReader status, int perStage, List<StageProcess> processes)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      StageProcess.requireAlive(processes);
      StatusReport report = read(status);
      boolean joined =
          !report.stages().isEmpty()
              && report.stages().stream()
                  .filter(stage -> !stage.stage().equals(StatusReader.TRAIN))
                  .allMatch(stage -> stage.state().equals("Stable") && stage.members() == perStage);
      if (joined) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the stages did not join their groups in 5 minutes");
      }
      Thread.sleep(250);
    }
  }

  /**
   * Until docs.raw holds every page and each stage has read its input and its own internal topics
   * to their ends: status reads the groups' offsets before the ends, so a stage found drained had
   * written all it will write of what the stage before it had written.
   */
  private static void awaitDrained(StatusReader status, int pages, List<StageProcess> processes)
      throws Exception {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (true) {
      StageProcess.requireAlive(processes);
      StatusReport report = read(status);
      boolean drained =
          !report.stages().isEmpty()
              && report.stages().stream()
                  .filter(stage -> !stage.stage().equals(StatusReader.TRAIN))
                  .allMatch(stage -> stage.lag() == 0 && stage.internalLag() == 0);
      long raw =
          report.stages().stream()
              .filter(stage -> stage.stage().equals(Stages.CLEAN.name()))
              .mapToLong(StatusReport.Stage::committedOffsets)
              .sum();
      if (drained && raw >= pages) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the pipeline did not drain in " + DRAIN_TIMEOUT);
      }
      Thread.sleep(200);
    }
  }

  /**
   * A report, or one with no stage in it when the broker did not answer in time: six JVMs starting
   * at once on a small machine can keep it from answering for a while, which is no failure yet.
   */
  private static StatusReport read(StatusReader status) throws InterruptedException {
    try {
      return status.read();
    } catch (StatusReader.KafkaUnreachableException slow) {
      return new StatusReport("", System.currentTimeMillis(), List.of(), List.of(), null);
    }
  }

  /** CPU seconds so far of each stage's processes, and of this process (broker and harness). */
  private static Map<String, Double> cpuSeconds(List<StageProcess> processes) {
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (StageProcess process : processes) {
      cpu.merge(process.stage().name(), process.cpuSeconds(), Double::sum);
    }
    OperatingSystemMXBean self =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    cpu.put("broker", self.getProcessCpuTime() / 1e9);
    return cpu;
  }

  /** One instance of a stage: {@code millrace <stage>} in a process of its own. */
  private record StageProcess(Stage stage, Process process, Path log) {

    static StageProcess start(Stage stage, int instance, Map<String, String> settings, Path scratch)
        throws IOException {
      Path dataDir = Files.createDirectories(scratch.resolve(stage.name() + "-" + instance));
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Dai.djl.offline=true",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Millrace.class.getName()));
      settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
      command.addAll(List.of("--set", MillraceConfig.DATA_DIR + "=" + dataDir));
      command.add(stage.name());
      Path log = scratch.resolve(stage.name() + "-" + instance + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new StageProcess(stage, process, log);
    }

    double cpuSeconds() {
      return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    static void requireAlive(List<StageProcess> processes) throws IOException {
      for (StageProcess running : processes) {
        if (!running.process().isAlive()) {
          List<String> lines = Files.readAllLines(running.log());
          throw new IllegalStateException(
              "the "
                  + running.stage().name()
                  + " process exited "
                  + running.process().exitValue()
                  + "; its last lines:\n"
                  + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
      }
    }

    void stop() throws InterruptedException {
      process.destroy(); // SIGTERM: the stage closes its Streams application
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
