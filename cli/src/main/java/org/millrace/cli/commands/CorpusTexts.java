package org.millrace.cli.commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.millrace.processors.clean.TextExtractor;
import org.millrace.processors.clean.TextNormalizer;
import org.millrace.producers.feed.FileFormat;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.topics.TopicContents;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RawDocumentJson;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.StrictText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The texts of a corpus, one document at a time, for training a tokenizer or measuring one: text
 * files whole, JSONL files line by line ({@code text} or {@code html}), HTML pages through the
 * clean stage's extraction, folders recursively, and {@code topic:NAME} for the clean documents of
 * a topic (such as {@code topic:docs.unique}) as far as it has been written.
 */
public final class CorpusTexts {

  private static final Logger log = LoggerFactory.getLogger(CorpusTexts.class);
  private static final String TOPIC_PREFIX = "topic:";

  private final TextExtractor extractor = new TextExtractor();
  private final TextNormalizer normalizer = new TextNormalizer();
  private final MillraceConfig config;
  private long skipped;

  public CorpusTexts(MillraceConfig config) {
    this.config = config;
  }

  /** Checks every input before anything is read, so that a typo fails at once. */
  public static void check(List<String> inputs) {
    for (String input : inputs) {
      if (!input.startsWith(TOPIC_PREFIX) && !Files.exists(Path.of(input))) {
        throw new IllegalArgumentException(
            "no such file or directory: " + input + " (a topic is written topic:NAME)");
      }
    }
  }

  /** Gives every document's text to {@code sink}. */
  public void forEach(List<String> inputs, Consumer<String> sink) throws IOException {
    for (String input : inputs) {
      if (input.startsWith(TOPIC_PREFIX)) {
        readTopic(input.substring(TOPIC_PREFIX.length()), sink);
      } else {
        try (Stream<Path> files =
            Files.isDirectory(Path.of(input))
                ? Files.walk(Path.of(input))
                : Stream.of(Path.of(input))) {
          for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
            readFile(file, sink);
          }
        }
      }
    }
    if (skipped > 0) {
      log.warn("Skipped {} files or lines that are not text documents", skipped);
    }
  }

  private void readFile(Path file, Consumer<String> sink) throws IOException {
    switch (FileFormat.of(file)) {
      case TEXT -> text(Files.readAllBytes(file), sink);
      case HTML ->
          html(
              RawDocument.newBuilder()
                  .setId(file.toString())
                  .setSource(file.toString())
                  .setContentType("text/html")
                  .setBody(ByteBuffer.wrap(Files.readAllBytes(file)))
                  .build(),
              sink);
      case JSONL -> {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank()) {
              continue;
            }
            try {
              RawDocument document = RawDocumentJson.parse(line, file.toString(), file.toString());
              if (document.getContentType().startsWith("text/html")) {
                html(document, sink);
              } else {
                sink.accept(
                    normalizer.normalize(
                        StandardCharsets.UTF_8.decode(document.getBody()).toString()));
              }
            } catch (DocumentRejectedException e) {
              skipped++;
            }
          }
        }
      }
      case UNSUPPORTED -> skipped++;
    }
  }

  private void text(byte[] bytes, Consumer<String> sink) {
    try {
      sink.accept(normalizer.normalize(StrictText.utf8(bytes)));
    } catch (DocumentRejectedException e) {
      skipped++;
    }
  }

  private void html(RawDocument document, Consumer<String> sink) {
    try {
      String text = normalizer.normalize(extractor.extract(document).text());
      if (!text.isEmpty()) {
        sink.accept(text);
      }
    } catch (DocumentRejectedException e) {
      skipped++;
    }
  }

  private void readTopic(String topic, Consumer<String> sink) {
    Properties properties =
        KafkaClientProperties.groupLessConsumer(config, "millrace-tokenizer-trainer");
    AvroSerde<CleanDocument> serde = AvroSerde.cleanDocument();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      TopicContents.readToEnd(
          consumer,
          topic,
          Duration.ofSeconds(60),
          record -> {
            try {
              sink.accept(serde.decode(record.value()).getText());
            } catch (RuntimeException notACleanDocument) {
              skipped++;
            }
          });
    }
  }
}
