package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.producers.crawl.CrawlScope.Kind;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.KafkaBrokerExtension;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

/** A crawl published to a real broker, read back from docs.raw and docs.rejected. */
class CrawlToKafkaTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @TempDir Path dataDir;

  @Test
  void pagesLandOnDocsRawAndFailuresOnDocsRejected() throws Exception {
    Path jar = CrawlFixtures.javadocJar();
    try (StaticSiteServer site = StaticSiteServer.start(jar)) {
      MillraceConfig config =
          kafka.createTopics(kafka.config(Map.of(MillraceConfig.TOPICS_PARTITIONS, "2")));
      String seed = site.root() + "index.html";
      String missing = site.root() + "no-such-page.html";
      CrawlSettings settings =
          CrawlFixtures.with(CrawlFixtures.fast("kafka"), 1, 1000, Duration.ZERO, 4);
      CrawlSummary summary;
      try (KafkaCrawlSink sink = new KafkaCrawlSink(config)) {
        summary =
            new Crawler(
                    settings,
                    CrawlScope.of(Kind.HOST, List.of(seed), List.of(), List.of()),
                    List.of(seed, missing),
                    dataDir.resolve("crawl/kafka"),
                    sink,
                    1024)
                .run();
      }

      List<RawDocument> documents = kafka.values("docs.raw", AvroSerde.rawDocument());
      assertThat(summary.documents()).isGreaterThan(5);
      assertThat(documents).hasSize((int) summary.documents());
      assertThat(documents).extracting(RawDocument::getUrl).contains(seed).doesNotHaveDuplicates();
      assertThat(documents)
          .allSatisfy(
              d -> {
                assertThat(d.getId()).isEqualTo(Crawler.idOf(d.getUrl()));
                assertThat(d.getSource()).isEqualTo("crawl:kafka");
                assertThat(d.getMetadata()).containsKeys(Crawler.META_DEPTH, "http.content-type");
                assertThat(d.getFetchedAt()).isNotNull();
              });
      List<RejectedDocument> rejected = kafka.values("docs.rejected", AvroSerde.rejectedDocument());
      assertThat(rejected)
          .filteredOn(r -> r.getOriginSource().equals(missing))
          .singleElement()
          .satisfies(r -> assertThat(r.getReason()).isEqualTo("http_error"));
    }
  }
}
