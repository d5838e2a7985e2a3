package org.millrace.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.millrace.producers.feed.FeedSummary;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace feed PATH...}. */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    header = "Publish text, HTML and JSONL files to docs.raw.",
    description = {
      "Publish files to docs.raw with an idempotent producer: .txt/.md files and .html pages as"
          + " one",
      "document each, .jsonl files as one document per line (field 'text' or 'html'; 'url', 'id'"
          + " and the other",
      "fields kept). Folders are read recursively. Lines that are not documents go to"
          + " docs.rejected."
    })
final class FeedCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to feed.")
  List<Path> paths;

  @Override
  public Integer call() throws Exception {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new IllegalArgumentException("no such file or directory: " + path);
      }
    }
    MillraceConfig config = millrace.config();
    LocalPipeline.ensureTopics(config);
    try (Feeder feeder = new Feeder(config)) {
      FeedSummary summary = feeder.feed(paths);
      spec.commandLine().getOut().println(summary);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
