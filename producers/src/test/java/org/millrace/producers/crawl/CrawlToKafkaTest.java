package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.producers.crawl.CrawlScope.Kind;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;
import org.millrace.runtime.testing.TopicRecords;
import org.millrace.runtime.topics.TopicBootstrap;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;

/** A crawl published to a real broker, read back from docs.raw and docs.rejected. */
class CrawlToKafkaTest {

  @TempDir Path dataDir;

  @Test
  void pagesLandOnDocsRawAndFailuresOnDocsRejected() throws Exception {
    Path jar = CrawlFixtures.javadocJar();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        StaticSiteServer site = StaticSiteServer.start(jar)) {
      MillraceConfig config =
          MillraceConfig.of(
              Map.of(
                  MillraceConfig.BOOTSTRAP_SERVERS,
                  broker.bootstrapServers(),
                  MillraceConfig.TOPICS_PARTITIONS,
                  "2"));
      try (Admin admin = Admin.create(KafkaClientProperties.admin(config))) {
        TopicBootstrap.ensureTopics(admin, TopicBootstrap.specifications(config));
      }
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

      List<RawDocument> documents =
          TopicRecords.readAll(broker.bootstrapServers(), "docs.raw").stream()
              .map(record -> AvroSerde.rawDocument().decode(record.value()))
              .toList();
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
      List<RejectedDocument> rejected =
          TopicRecords.readAll(broker.bootstrapServers(), "docs.rejected").stream()
              .map(record -> AvroSerde.rejectedDocument().decode(record.value()))
              .toList();
      assertThat(rejected)
          .filteredOn(r -> r.getOriginSource().equals(missing))
          .singleElement()
          .satisfies(r -> assertThat(r.getReason()).isEqualTo("http_error"));
    }
  }
}
