package org.millrace.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.millrace.cli.Millrace;
import org.millrace.producers.crawl.CrawlKeys;
import org.millrace.runtime.config.MillraceConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code millrace crawl}'s options are the crawler's configuration keys. */
class CrawlCommandTest {

  @Test
  void eachOptionGivenSetsItsKeyAndNoOtherKeyIsSet() {
    CommandSpec crawl =
        parse(
            "crawl",
            "--max-depth",
            "2",
            "--no-politeness",
            "--reject-oversized",
            "--accept",
            "text/html,text/plain",
            "--allow-private",
            "--query",
            "sort",
            "https://example.org/");
    assertThat(CrawlCommand.KeyOptions.given(crawl))
        .containsOnly(
            org.assertj.core.api.Assertions.entry(CrawlKeys.MAX_DEPTH, "2"),
            org.assertj.core.api.Assertions.entry(CrawlKeys.POLITENESS, "false"),
            org.assertj.core.api.Assertions.entry(CrawlKeys.REJECT_OVERSIZED, "true"),
            org.assertj.core.api.Assertions.entry(CrawlKeys.ACCEPT, "text/html,text/plain"),
            org.assertj.core.api.Assertions.entry(CrawlKeys.ALLOW_PRIVATE, "*"),
            org.assertj.core.api.Assertions.entry(CrawlKeys.QUERY, "sort"));
  }

  @Test
  void regularExpressionsKeepTheirCommasAndTheKeyServesWhenNoOptionIsGiven() {
    CommandSpec crawl =
        parse("crawl", "--include", "/a{1,3}/", "--include", "/b/", "https://example.org/");
    MillraceConfig config = MillraceConfig.of(java.util.Map.of(CrawlKeys.EXCLUDE, "/x/,/y/"));
    assertThat(CrawlCommand.KeyOptions.regexes(crawl, config, CrawlKeys.INCLUDE))
        .containsExactly("/a{1,3}/", "/b/");
    assertThat(CrawlCommand.KeyOptions.regexes(crawl, config, CrawlKeys.EXCLUDE))
        .containsExactly("/x/", "/y/");
  }

  @Test
  void theHelpShowsEveryKeyWithItsDefault() {
    CommandSpec crawl = Millrace.commandLine().getSubcommands().get("crawl").getCommandSpec();
    assertThat(String.join(" ", crawl.findOption("--max-pages").description()))
        .endsWith("(crawl.max.pages, default 1000)");
    assertThat(crawl.findOption("--no-politeness")).isNotNull();
    assertThat(crawl.findOption("--politeness")).as("true by default: only its --no-").isNull();
    ConfigDef keys = new ConfigDef();
    new CrawlKeys().define(keys);
    assertThat(
            crawl.options().stream()
                .filter(o -> o.descriptionKey() != null && o.descriptionKey().startsWith("crawl.")))
        .as("an option per crawl.* key")
        .hasSize(keys.names().size());
  }

  private static CommandSpec parse(String... args) {
    CommandLine commandLine = Millrace.commandLine();
    CommandLine.ParseResult parsed = commandLine.parseArgs(args);
    return parsed.subcommand().commandSpec();
  }
}
