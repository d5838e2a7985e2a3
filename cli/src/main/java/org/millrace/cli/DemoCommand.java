package org.millrace.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.millrace.producers.feed.FeedSummary;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code millrace demo}: {@code up}, then feed the demo corpus. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Run everything, fed with a demo corpus of real HTML pages.",
    description = {
      "Run everything as 'up' does, then feed the demo corpus: the HTML pages of the javadoc jars"
          + " of",
      "Millrace's own dependencies, fetched from Maven Central by the build (demo.corpus).",
      "Watch lag and loss with './millrace status' from another terminal. Stop with Ctrl-C."
    })
final class DemoCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config();
    Path corpus = demoCorpus(config);
    try (LocalPipeline pipeline = LocalPipeline.start(config, true)) {
      Banner.print(pipeline);
      System.out.println("Feeding the demo corpus from " + corpus + " ...");
      try (Feeder feeder = new Feeder(pipeline.config())) {
        FeedSummary summary = feeder.feed(List.of(corpus));
        System.out.println("Demo corpus: " + summary + ".");
      }
      System.out.println(
          "The stages clean, deduplicate and tokenize it; the trainer's loss lines follow. "
              + "./millrace status shows lag and loss.");
      return UpCommand.runUntilInterrupted(pipeline);
    }
  }

  static Path demoCorpus(MillraceConfig config) {
    Path configured = Path.of(config.getString(MillraceConfig.DEMO_CORPUS));
    Path home = Path.of(System.getProperty("millrace.home", "."));
    Path corpus = configured.isAbsolute() ? configured : home.resolve(configured).normalize();
    if (!Files.isDirectory(corpus)) {
      throw new IllegalStateException(
          "demo corpus not found at "
              + corpus.toAbsolutePath()
              + ": the build puts it there (./mvnw -DskipTests package), or set demo.corpus to a"
              + " folder of text, HTML or JSONL files");
    }
    return corpus;
  }
}
