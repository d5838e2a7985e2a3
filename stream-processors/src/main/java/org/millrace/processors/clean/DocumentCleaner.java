package org.millrace.processors.clean;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.millrace.processors.RecordJudge;
import org.millrace.processors.Verdict;
import org.millrace.processors.filter.FilterChain;
import org.millrace.processors.filter.FilterDocument;
import org.millrace.processors.filter.Filters;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.Origin;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.Rejection;
import org.millrace.schemas.reject.Rejection.FilterDrop;

/**
 * The clean stage's work on one record of docs.raw: decode it, extract the main text, normalise it,
 * run it through the quality filters (docs/filters.md), and pass on a {@link CleanDocument}, or
 * reject the record with the reason (and, for a filter, what it measured and the threshold).
 */
public final class DocumentCleaner implements RecordJudge<CleanDocument> {

  public static final String STAGE = "clean";

  /** The metadata key of the language an HTML page declares ({@code <html lang>}). */
  public static final String HTML_LANG = "html_lang";

  private final RawRecordDecoder decoder;
  private final TextExtractor extractor;
  private final TextNormalizer normalizer = new TextNormalizer();
  private final FilterChain filters;
  private final int rejectedPayloadMaxBytes;

  /**
   * @param documentMaxBytes the largest payload accepted ({@code documents.max.bytes})
   * @param rejectedPayloadMaxBytes how much of a rejected payload to keep
   * @param extractionBudget the most time one HTML page may take to extract; slower ones are
   *     rejected with reason {@code extraction_timeout}
   * @param filters the quality filters, {@link FilterChain#none()} for none
   */
  public DocumentCleaner(
      int documentMaxBytes,
      int rejectedPayloadMaxBytes,
      Duration extractionBudget,
      FilterChain filters) {
    this.decoder = new RawRecordDecoder(documentMaxBytes);
    this.extractor = new TextExtractor(extractionBudget);
    this.filters = filters;
    this.rejectedPayloadMaxBytes = rejectedPayloadMaxBytes;
  }

  /** Extraction and normalisation alone, with no quality filter. */
  public DocumentCleaner(
      int documentMaxBytes, int rejectedPayloadMaxBytes, Duration extractionBudget) {
    this(documentMaxBytes, rejectedPayloadMaxBytes, extractionBudget, FilterChain.none());
  }

  /** As the configuration says: limits, budget and {@code filters.chain}. */
  public static DocumentCleaner of(MillraceConfig config) {
    return new DocumentCleaner(
        config.getInt(MillraceConfig.DOCUMENTS_MAX_BYTES),
        config.getInt(MillraceConfig.REJECTED_PAYLOAD_MAX_BYTES),
        Duration.ofMillis(config.getInt(CleanKeys.EXTRACTION_TIMEOUT_MS)),
        Filters.chain(config));
  }

  @Override
  public Verdict<CleanDocument> judge(byte[] key, byte[] value, Origin origin) {
    RawDocument raw;
    try {
      raw = decoder.decode(key, value, origin);
    } catch (DocumentRejectedException e) {
      return reject(origin.coordinates(), e, value, origin);
    }
    try {
      DocumentId.check(raw.getId());
    } catch (DocumentRejectedException e) {
      return reject(origin.coordinates(), e, value, origin); // not under the id it refuses
    }
    try {
      DocumentUrl.check(raw.getUrl());
    } catch (DocumentRejectedException e) {
      return reject(raw.getId(), e, value, origin);
    }
    Extraction extraction;
    try {
      extraction = extract(raw);
    } catch (DocumentRejectedException e) {
      return reject(raw.getId(), e, value, origin);
    }
    FilterDocument document = extraction.document();
    Optional<FilterDrop> drop = filters.run(document);
    if (drop.isPresent()) {
      return new Verdict.Reject<>(
          raw.getId(),
          Rejection.ofFilteredRecord(
              raw.getId(), STAGE, drop.get(), origin, value, rejectedPayloadMaxBytes));
    }
    return new Verdict.Pass<>(
        raw.getId(),
        CleanDocument.newBuilder()
            .setId(raw.getId())
            .setUrl(raw.getUrl())
            .setSource(raw.getSource())
            .setText(document.text())
            .setTitle(extraction.title())
            .setMetadata(document.metadata())
            .build());
  }

  /**
   * What the stage does with one document, every filter of its chain run even after one drops it,
   * so that every signal is measured: for {@code millrace inspect}.
   *
   * @throws DocumentRejectedException when extraction rejects it, before any filter
   */
  public Inspection inspect(RawDocument raw) throws DocumentRejectedException {
    Extraction extraction = extract(raw);
    String extractedText = extraction.document().text();
    List<FilterChain.Step> steps = filters.runAll(extraction.document());
    return new Inspection(extraction.title(), extractedText, extraction.document(), steps);
  }

  /**
   * One document inspected.
   *
   * @param extractedText the text after extraction and normalisation, before any filter
   * @param document the text as the filters left it, its metadata and every signal measured
   * @param steps each filter's verdict, in the chain's order
   */
  public record Inspection(
      String title, String extractedText, FilterDocument document, List<FilterChain.Step> steps) {

    /** The drop that decides, as in the stage: the first. */
    public Optional<FilterDrop> drop() {
      return steps.stream().flatMap(step -> step.drop().stream()).findFirst();
    }
  }

  private record Extraction(String title, FilterDocument document) {}

  private Extraction extract(RawDocument raw) throws DocumentRejectedException {
    TextExtractor.Extracted extracted = extractor.extract(raw);
    boolean code = FilterDocument.CODE.equals(raw.getMetadata().get(FilterDocument.KIND));
    String text =
        code ? normalizer.normalizeCode(extracted.text()) : normalizer.normalize(extracted.text());
    if (text.isEmpty()) {
      throw new DocumentRejectedException(
          RejectReason.EMPTY_TEXT,
          "no text left after extraction and normalisation ("
              + raw.getBody().remaining()
              + " bytes of "
              + raw.getContentType()
              + ")");
    }
    FilterDocument document =
        new FilterDocument(raw.getId(), raw.getUrl(), text, raw.getMetadata());
    if (extracted.language() != null) {
      document.putMetadata(HTML_LANG, extracted.language());
    }
    return new Extraction(extracted.title(), document);
  }

  private Verdict<CleanDocument> reject(
      String id, DocumentRejectedException e, byte[] value, Origin origin) {
    return new Verdict.Reject<>(
        id,
        Rejection.ofRecord(
            id, STAGE, e.reason(), e.detail(), origin, value, rejectedPayloadMaxBytes));
  }
}
