package org.millrace.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.millrace.cli.Millrace;
import org.millrace.cli.status.StatusReader;
import org.millrace.cli.status.StatusReport;
import org.millrace.cli.status.StatusWindow;
import org.millrace.processors.tokenize.TokenizeKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace status}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Show lag per stage and the trainer's step and loss.",
    description = {
      "Show each stage's consumer group, its lag in offsets (total and per partition) and in",
      "seconds (the age of the oldest unconsumed record), its rate, the time to drain its lag and",
      "a verdict over a window of reports (OK, WARN: lag grew throughout, STALLED: no progress",
      "with lag, STOPPED: no member); the topics' end offsets; and the trainer's step, loss and",
      "tokens/s. It reads twice, --window seconds apart, to see movement. With --watch, refreshes",
      "in place until interrupted (Ctrl-C), judging over the last 10 reports.",
      "Exits with 2 when Kafka cannot be reached."
    })
public final class StatusCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description = "Print one JSON object (its fields are documented in docs/status.md).")
  boolean json;

  @Option(
      names = "--watch",
      arity = "0..1",
      fallbackValue = "2",
      paramLabel = "SECONDS",
      description = "Refresh in place every SECONDS (default 2), clearing the terminal.")
  Integer watchSeconds;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "With --watch: stop after N reports (default: until interrupted).")
  Integer count;

  @Option(
      names = "--window",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Without --watch: seconds between the two reads a verdict needs (default 2).")
  int windowSeconds;

  /** ANSI: cursor home, then erase the screen. */
  public static final String CLEAR_SCREEN = "\033[H\033[2J";

  @Override
  public Integer call() throws Exception {
    StatusReader reader = new StatusReader(millrace.config());
    StatusWindow window = new StatusWindow(millrace.config().getInt(TokenizeKeys.CHUNK_TOKENS));
    PrintWriter out = spec.commandLine().getOut();
    for (int reports = 1; ; reports++) {
      StatusReport report;
      try {
        if (watchSeconds == null) {
          window.add(reader.read());
          Thread.sleep(windowSeconds * 1000L);
        }
        report = window.add(reader.read());
      } catch (StatusReader.KafkaUnreachableException e) {
        spec.commandLine().getErr().println("millrace status: " + e.getMessage());
        return Millrace.EXIT_UNREACHABLE;
      }
      if (watchSeconds != null && !json) {
        out.print(CLEAR_SCREEN);
      }
      if (json) {
        out.println(jsonMapper().writeValueAsString(report));
      } else {
        printText(report, out);
      }
      out.flush();
      if (watchSeconds == null || count != null && reports >= count) {
        return 0;
      }
      Thread.sleep(watchSeconds * 1000L);
    }
  }

  /** 42 s, 3m05s, 2h07m. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
  }

  public static ObjectMapper jsonMapper() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  static void printText(StatusReport report, PrintWriter out) {
    out.println("Kafka " + report.bootstrapServers());
    out.println();
    out.printf(
        "%-9s %-8s %-26s %-12s %-14s %12s %10s %9s %9s %9s %9s  %s%n",
        "STAGE",
        "VERDICT",
        "GROUP",
        "STATE",
        "INPUT",
        "READ",
        "LAG",
        "LAG (s)",
        "UNSAVED",
        "RATE/s",
        "DRAIN",
        "LAG PER PARTITION");
    for (StatusReport.Stage stage : report.stages()) {
      String perPartition =
          stage.partitions().stream()
              .map(p -> p.partition() + ":" + p.lag())
              .collect(Collectors.joining(" "));
      out.printf(
          "%-9s %-8s %-26s %-12s %-14s %,12d %,10d %9.1f %9s %9s %9s  %s%n",
          stage.stage(),
          stage.verdict() == null ? "-" : stage.verdict(),
          stage.group(),
          stage.state() + (stage.members() > 0 ? " (" + stage.members() + ")" : ""),
          stage.inputTopic(),
          stage.readOffsets(),
          stage.lag(),
          stage.lagSeconds(),
          stage.unsavedRecords() == null ? "-" : String.format("%,d", stage.unsavedRecords()),
          stage.offsetsPerSecond() == null ? "-" : String.format("%,.1f", stage.offsetsPerSecond()),
          stage.drainSeconds() == null ? "-" : duration(stage.drainSeconds()),
          perPartition);
    }
    out.println();
    out.printf("%-20s %10s %14s%n", "TOPIC", "PARTITIONS", "END OFFSETS");
    for (StatusReport.Topic topic : report.topics()) {
      out.printf("%-20s %10d %,14d%n", topic.topic(), topic.partitions(), topic.endOffsets());
    }
    out.println(
        "(Offsets count records and, in topics written exactly-once, a transaction marker per"
            + " commit. READ: where each stage has read to; UNSAVED: records the trainer read"
            + " since its last checkpoint, which a crash would replay.)");
    out.println();
    StatusReport.Trainer trainer = report.trainer();
    if (trainer == null) {
      out.println("Trainer: no progress published yet.");
    } else {
      out.printf(
          "Trainer run '%s': step %,d | loss %.4f (first %.4f)%s | lr %.2e | %,.0f tokens/s%s%s"
              + " | %,d tokens trained | checkpoint %s | at %s%n",
          trainer.runId(),
          trainer.step(),
          trainer.latestLoss(),
          trainer.firstLoss(),
          trainer.validationLoss() == null
              ? ""
              : String.format(
                  " | val %.4f at step %,d", trainer.validationLoss(), trainer.validationStep()),
          trainer.learningRate(),
          trainer.tokensPerSecond(),
          trainer.modelFlopsUtilization() == null
              ? ""
              : String.format(" | MFU %.1f%%", 100 * trainer.modelFlopsUtilization()),
          trainer.inputStall() == null
              ? ""
              : String.format(" | input stall %.0f%%", 100 * trainer.inputStall()),
          trainer.tokensTrained(),
          trainer.checkpointStep() == null ? "none yet" : "step " + trainer.checkpointStep(),
          trainer.updatedAt());
    }
  }
}
