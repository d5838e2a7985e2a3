package org.millrace.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.millrace.cli.commands.CrawlCommand;
import org.millrace.cli.commands.DashboardCommand;
import org.millrace.cli.commands.DemoCommand;
import org.millrace.cli.commands.EvalCommand;
import org.millrace.cli.commands.FeedCommand;
import org.millrace.cli.commands.GenerateCommand;
import org.millrace.cli.commands.InspectCommand;
import org.millrace.cli.commands.StageCommand;
import org.millrace.cli.commands.StatusCommand;
import org.millrace.cli.commands.SweepCommand;
import org.millrace.cli.commands.TokenizerCommand;
import org.millrace.cli.commands.TopicsCommand;
import org.millrace.cli.commands.TrainCommand;
import org.millrace.cli.commands.UpCommand;
import org.millrace.runtime.config.ConfigLoader;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code millrace} command. Results go to standard output, logs to standard error. */
@Command(
    name = "millrace",
    mixinStandardHelpOptions = true,
    versionProvider = Millrace.Version.class,
    description = "Streaming pre-training of language models on Apache Kafka.",
    subcommands = {
      UpCommand.class,
      DemoCommand.class,
      FeedCommand.class,
      CrawlCommand.class,
      InspectCommand.class,
      StageCommand.Clean.class,
      StageCommand.Dedup.class,
      StageCommand.Tokenize.class,
      TrainCommand.class,
      GenerateCommand.class,
      EvalCommand.class,
      SweepCommand.class,
      StatusCommand.class,
      DashboardCommand.class,
      TopicsCommand.class,
      TokenizerCommand.class,
      CommandLine.HelpCommand.class,
    },
    footer = {
      "",
      "Configuration: a properties file (--config, MILLRACE_CONFIG or",
      "./millrace.properties), then MILLRACE_* environment variables, then --set.",
      "docs/configuration.md lists every key."
    })
public final class Millrace {

  private static final String BENCH_COMMAND = "org.millrace.bench.BenchCommand";

  /** Exit code when Kafka cannot be reached. */
  public static final int EXIT_UNREACHABLE = 2;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Configuration file (Java properties).")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      scope = ScopeType.INHERIT,
      description =
          "Set a configuration key, over the file and the environment; repeatable. "
              + "Kafka client properties take the prefix 'kafka.'.")
  Map<String, String> settings = new LinkedHashMap<>();

  /** The configuration: the file, then the environment, then {@code --set}. */
  public MillraceConfig config() {
    return ConfigLoader.load(configFile, System.getenv(), settings);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Millrace());
    benchCommand().ifPresent(bench -> commandLine.addSubcommand(bench));
    commandLine.setExecutionExceptionHandler(
        (exception, command, parseResult) -> {
          command
              .getErr()
              .println(
                  command
                      .getColorScheme()
                      .errorText(
                          "millrace " + command.getCommandName() + ": " + message(exception)));
          if (System.getenv("MILLRACE_DEBUG") != null) {
            exception.printStackTrace(command.getErr());
          }
          return 1;
        });
    return commandLine;
  }

  /**
   * {@code millrace bench}, when the bench module is on the class path: {@code ./millrace} puts it
   * there, the Docker image does not (its benchmarks and JMH are not part of the product).
   */
  private static Optional<Object> benchCommand() {
    try {
      return Optional.of(Class.forName(BENCH_COMMAND).getDeclaredConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + BENCH_COMMAND, e);
    }
  }

  private static String message(Throwable exception) {
    String message = exception.getMessage();
    return message == null ? exception.getClass().getSimpleName() : message;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Millrace.class.getPackage().getImplementationVersion();
      return new String[] {"millrace " + (version == null ? "(development build)" : version)};
    }
  }
}
