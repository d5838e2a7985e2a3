package org.millrace.cli.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.millrace.cli.Millrace;
import org.millrace.cli.ShutdownSignal;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.producers.crawl.CrawlKeys;
import org.millrace.producers.crawl.CrawlScope;
import org.millrace.producers.crawl.CrawlSettings;
import org.millrace.producers.crawl.CrawlSummary;
import org.millrace.producers.crawl.Crawler;
import org.millrace.producers.crawl.KafkaCrawlSink;
import org.millrace.producers.crawl.UrlNormalizer;
import org.millrace.producers.crawl.UrlNormalizer.QueryHandling;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code millrace crawl URL...}. */
@Command(
    name = "crawl",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    modelTransformer = CrawlCommand.KeyOptions.class,
    header = "Crawl web pages, politely, into docs.raw.",
    description = {
      "Fetch the seed URLs and the pages they link to, within the scope and the limits, and"
          + " publish each page to docs.raw (url: the final URL after redirects; body: the raw"
          + " bytes). Pages that cannot be documents go to docs.rejected (fetch_failed,"
          + " http_error, unsupported_content_type, binary_payload, too_large).",
      "robots.txt is obeyed (RFC 9309), one request at a time per host with a pause. Private,"
          + " loopback, link-local and cloud metadata addresses are refused unless"
          + " --allow-private. The frontier is kept in data.dir/crawl/<crawl-id>/: the same"
          + " command started again continues the crawl without fetching a page twice."
    })
public final class CrawlCommand implements Callable<Integer> {

  @ParentCommand Millrace millrace;
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "URL", description = "Seed URLs.")
  List<String> urls = new ArrayList<>();

  @Option(names = "--seeds", paramLabel = "FILE", description = "A file of seed URLs, one a line.")
  Path seedFile;

  @Option(
      names = "--crawl-id",
      paramLabel = "ID",
      description = "Names the crawl and its frontier (default: derived from the seeds).")
  String crawlId;

  @Override
  public Integer call() throws Exception {
    MillraceConfig config = millrace.config().with(KeyOptions.given(spec));
    UrlNormalizer normalizer =
        new UrlNormalizer(
            QueryHandling.valueOf(config.getString(CrawlKeys.QUERY).toUpperCase(Locale.ROOT)));
    CrawlScope.Kind scope =
        CrawlScope.Kind.valueOf(config.getString(CrawlKeys.SCOPE).toUpperCase(Locale.ROOT));
    List<String> seeds = seeds(normalizer);
    String id =
        crawlId != null
            ? crawlId
            : "crawl-" + Crawler.idOf(String.join("\n", seeds)).substring(0, 8);
    CrawlSettings settings = CrawlSettings.from(config, id);
    LocalPipeline.ensureTopics(config);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "crawl %s: %d seeds, scope %s, frontier in %s%n",
        id, seeds.size(), scope, folder(config, id));
    err.flush();
    CrawlSummary summary;
    try (KafkaCrawlSink sink = new KafkaCrawlSink(config)) {
      Crawler crawler =
          new Crawler(
              settings,
              CrawlScope.of(
                  scope,
                  seeds,
                  KeyOptions.regexes(spec, config, CrawlKeys.INCLUDE),
                  KeyOptions.regexes(spec, config, CrawlKeys.EXCLUDE)),
              seeds,
              folder(config, id),
              sink,
              config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES));
      Thread progress = progressLine(crawler, err);
      try (ShutdownSignal shutdown = new ShutdownSignal(crawler::stop)) {
        summary = crawler.run();
      } finally {
        if (progress != null) {
          progress.interrupt();
          progress.join();
        }
      }
    }
    out.println(summary);
    out.flush();
    return 0;
  }

  private static Path folder(MillraceConfig config, String id) {
    return config.dataDir().resolve("crawl").resolve(id);
  }

  private List<String> seeds(UrlNormalizer normalizer) throws Exception {
    List<String> raw = new ArrayList<>(urls);
    if (seedFile != null) {
      for (String line : Files.readAllLines(seedFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.strip().startsWith("#")) {
          raw.add(line.strip());
        }
      }
    }
    if (raw.isEmpty()) {
      throw new IllegalArgumentException("no seed URL: give URLs or --seeds FILE");
    }
    Set<String> seeds = new LinkedHashSet<>();
    for (String url : raw) {
      seeds.add(
          normalizer
              .normalize(url)
              .orElseThrow(() -> new IllegalArgumentException("not an http(s) URL: " + url)));
    }
    return List.copyOf(seeds);
  }

  /** On a terminal, a line that rewrites itself twice a second; nothing when output is piped. */
  private static Thread progressLine(Crawler crawler, PrintWriter err) {
    if (System.console() == null) {
      return null;
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(500);
                  err.print("\r" + crawler.summary().progressLine() + "\u001b[K");
                  err.flush();
                }
              } catch (InterruptedException e) {
                err.println();
                err.flush();
              }
            },
            "crawl-progress");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * An option for each of the crawler's configuration keys ({@link CrawlKeys}): {@code --max-depth}
   * sets {@code crawl.max.depth}, with the key's documentation and default as its help, so that a
   * knob is named, documented and given its default once. A boolean key is a flag ({@code
   * --reject-oversized}); one that is true by default is turned off by {@code --no-...}; a list key
   * is repeatable; {@code --allow-private} without a value opens every address.
   */
  public static final class KeyOptions implements CommandLine.IModelTransformer {

    private static final String PREFIX = "crawl.";
    private static final Set<String> REGEX_LISTS = Set.of(CrawlKeys.INCLUDE, CrawlKeys.EXCLUDE);

    @Override
    public CommandSpec transform(CommandSpec spec) {
      ConfigDef keys = new ConfigDef();
      new CrawlKeys().define(keys);
      for (ConfigDef.ConfigKey key : keys.configKeys().values()) {
        spec.addOption(option(key));
      }
      return spec;
    }

    private static OptionSpec option(ConfigDef.ConfigKey key) {
      String name = key.name.substring(PREFIX.length()).replace('.', '-');
      String defaultValue = ConfigDef.convertToString(key.defaultValue, key.type);
      boolean flag = key.type == ConfigDef.Type.BOOLEAN;
      boolean negated = flag && Boolean.TRUE.equals(key.defaultValue);
      OptionSpec.Builder option =
          OptionSpec.builder("--" + (negated ? "no-" : "") + name)
              .descriptionKey(key.name)
              .description(
                  key.documentation
                      + " ("
                      + key.name
                      + (flag || defaultValue.isEmpty() ? "" : ", default " + defaultValue)
                      + ")");
      if (flag) {
        return option.arity("0").type(boolean.class).build();
      }
      if (key.type == ConfigDef.Type.LIST) {
        option.type(List.class).auxiliaryTypes(String.class).paramLabel("<" + name + ">");
        if (!REGEX_LISTS.contains(key.name)) {
          option.splitRegex(","); // a regular expression may hold a comma: one per option
        }
        if (key.name.equals(CrawlKeys.ALLOW_PRIVATE)) {
          option.arity("0..1").fallbackValue("*").paramLabel("CIDR");
        }
        return option.build();
      }
      return option.type(String.class).paramLabel("<" + name + ">").build();
    }

    /**
     * The regular expressions given with an option of {@link #REGEX_LISTS}, whole, or the key's
     * (comma-separated) value.
     */
    static List<String> regexes(CommandSpec spec, MillraceConfig config, String key) {
      for (OptionSpec option : spec.options()) {
        if (key.equals(option.descriptionKey())
            && spec.commandLine().getParseResult().hasMatchedOption(option)) {
          return option.getValue();
        }
      }
      return config.getList(key);
    }

    /** The keys the options given on the command line set, and their values. */
    static Map<String, String> given(CommandSpec spec) {
      Map<String, String> given = new HashMap<>();
      CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
      for (OptionSpec option : spec.options()) {
        String key = option.descriptionKey();
        if (key == null
            || !key.startsWith(PREFIX)
            || REGEX_LISTS.contains(key)
            || !parsed.hasMatchedOption(option)) {
          continue;
        }
        Object value = option.getValue();
        if (option.type() == boolean.class) {
          given.put(key, String.valueOf(!option.longestName().startsWith("--no-")));
        } else if (value instanceof List<?> list) {
          given.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
        } else {
          given.put(key, String.valueOf(value));
        }
      }
      return given;
    }
  }
}
