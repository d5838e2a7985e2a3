package org.millrace.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.millrace.cli.Millrace;
import org.millrace.cli.ShutdownSignal;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.producers.feed.FeedSettings;
import org.millrace.producers.feed.FeedSummary;
import org.millrace.producers.feed.Feeder;
import org.millrace.producers.feed.InputPaths;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace feed PATH...}. */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    header = "Publish text, HTML, JSONL, WARC/WET, Parquet files and code trees to docs.raw.",
    description = {
      "Publish files to docs.raw with an idempotent producer. The format comes from",
      "the first bytes (gzip, WARC/1., PAR1), then the name:",
      "  .txt .md .html      one document per file",
      "  .jsonl[.gz]         one per line: --text-field or 'html'; other fields kept",
      "  .warc .wet [.gz]    one per response (HTTP payload) or conversion (WET)",
      "                      record; other record types skipped and counted",
      "  .parquet            one per row: --text-field column; scalar columns kept",
      "  code tree           a folder with .git (any folder with --code): one per",
      "                      source file; binaries, vendored folders, big files skipped",
      "Folders are read recursively; a quoted glob ('corpus/**/*.txt') is expanded.",
      "What is not a document goes to docs.rejected with its reason and place.",
      "Run again after an interruption (Ctrl-C, a failure), a feed skips what Kafka",
      "acknowledged: its progress is kept under data.dir/feed-progress."
    })
public final class FeedCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "Files, folders or quoted globs to feed.")
  List<String> paths;

  @Option(
      names = "--text-field",
      paramLabel = "NAME",
      description = "JSONL field or Parquet column of the text (default: ${DEFAULT-VALUE}).")
  String textField = FeedSettings.DEFAULT_TEXT_FIELD;

  @Option(
      names = "--code",
      description = "Read every folder as a code tree, not only those with a .git folder.")
  boolean code;

  @Option(
      names = "--code-max-bytes",
      paramLabel = "BYTES",
      description = "Skip source files larger than this (default: ${DEFAULT-VALUE}).")
  long codeMaxBytes = FeedSettings.DEFAULT_CODE_FILE_MAX_BYTES;

  @Option(
      names = "--no-resume",
      description = "Neither read nor keep the feed's progress: feed everything from the start.")
  boolean noResume;

  @Override
  public Integer call() throws Exception {
    List<Path> inputs = new ArrayList<>();
    for (String path : paths) {
      inputs.addAll(InputPaths.expand(path));
    }
    for (Path path : inputs) {
      if (!Files.exists(path)) {
        throw new IllegalArgumentException("no such file or directory: " + path);
      }
    }
    MillraceConfig config = millrace.config();
    FeedSettings options =
        FeedSettings.defaults(config.dataDir())
            .withTextField(textField)
            .withCode(code)
            .withCodeFileMaxBytes(codeMaxBytes);
    if (noResume) {
      options = options.withProgressDir(null);
    }
    LocalPipeline.ensureTopics(config);
    try (Feeder feeder = new Feeder(config, options);
        ShutdownSignal shutdown = new ShutdownSignal(feeder::requestStop)) {
      FeedSummary summary = feeder.feed(inputs);
      spec.commandLine().getOut().println(summary);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
