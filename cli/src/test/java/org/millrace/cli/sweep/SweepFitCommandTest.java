package org.millrace.cli.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.CommandRun;

/** {@code millrace sweep fit} as a script sees it: its last lines, its plot, its errors. */
class SweepFitCommandTest {

  @TempDir Path folder;

  @Test
  void printsTheFiveParametersLastAndWritesThePlot() throws Exception {
    Path runs = folder.resolve("runs.csv");
    StringBuilder csv = new StringBuilder("params,tokens,loss\n");
    for (ScalingRun run :
        ScalingLawFitterTest.runsOf(new ScalingLaw(1.69, 406.4, 410.7, 0.34, 0.28), 0.0, 1)) {
      csv.append(
          String.format(Locale.ROOT, "%.0f,%.0f,%.6f%n", run.params(), run.tokens(), run.loss()));
    }
    Files.writeString(runs, csv);

    CommandRun run =
        CommandRun.of(
            "sweep", "fit", "--runs", runs.toString(), "--bootstrap", "10", "--flops", "5.76e23");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    List<String> last = lines.subList(lines.size() - 5, lines.size());
    assertThat(last.get(0)).startsWith("E=");
    assertThat(Double.parseDouble(last.get(0).substring(2))).isBetween(1.6, 1.8);
    assertThat(last.get(1)).startsWith("A=");
    assertThat(last.get(2)).startsWith("B=");
    assertThat(last.get(3)).startsWith("alpha=");
    assertThat(Double.parseDouble(last.get(3).substring(6))).isBetween(0.32, 0.36);
    assertThat(last.get(4)).startsWith("beta=");
    assertThat(run.out()).contains("compute-optimal for C = 5.76e+23 FLOPs").contains("D/N");
    byte[] png = Files.readAllBytes(folder.resolve("scaling.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(Files.readString(folder.resolve("scaling.svg")))
        .startsWith("<svg")
        .contains("N = 70,000,000");
  }

  @Test
  void aBadLineIsAnErrorThatNamesIt() throws Exception {
    Path runs = folder.resolve("runs.csv");
    Files.writeString(runs, "params,tokens,loss\n1e6,1e7,3.2\n1e6,ten million,3.1\n");

    CommandRun run = CommandRun.of("sweep", "fit", "--runs", runs.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("runs.csv line 3: tokens 'ten million' is not a number");
  }
}
