package org.millrace.bench;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millrace bench minhash}: MinHash signatures per core, with JMH. */
@Command(
    name = "minhash",
    mixinStandardHelpOptions = true,
    header = "MB/s per core of MinHash signatures (JMH), ours against the mod-prime family.",
    description = {
      "JMH, one thread, one fork: the 112-hash signature of 5 KB documents, shingling into word",
      "5-grams included, with our hash family (MurmurHash3's finaliser over seeded 32-bit lanes)"
          + " and",
      "with datatrove's (a·x + b) mod (2^61 - 1) as the reference, in the same run.",
      "The last line reads minhash MB/s=<number>."
    })
public final class BenchMinHashCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--iterations",
      defaultValue = "5",
      description = "Measured seconds, one per iteration (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Override
  public Integer call() throws Exception {
    Options options = JmhOptions.of(MinHashBenchmark.class, 3, 1, iterations).build();
    Collection<RunResult> results = new Runner(options).run();
    PrintWriter out = spec.commandLine().getOut();
    double ours = 0;
    double reference = 0;
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      double documentsPerSecond = result.getPrimaryResult().getScore();
      double megabytes = documentsPerSecond * MinHashBenchmark.DOCUMENT_BYTES / 1e6;
      out.printf("%s: %,.0f documents/s, %.1f MB/s%n", name, documentsPerSecond, megabytes);
      if (name.endsWith(".millrace")) {
        ours = megabytes;
      } else {
        reference = megabytes;
      }
    }
    out.printf(
        "RESULT minhash reference(mod 2^61-1) MB/s=%.1f ratio=%.2f minhash MB/s=%.1f%n",
        reference, ours / reference, ours);
    out.flush();
    return 0;
  }
}
