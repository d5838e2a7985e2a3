package org.millrace.processors.clean;

import java.time.Duration;
import org.millrace.processors.Origin;
import org.millrace.processors.RecordJudge;
import org.millrace.processors.Verdict;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.Rejection;

/**
 * The clean stage's work on one record of docs.raw: decode it, extract the text, normalise it, and
 * pass on a {@link CleanDocument}, or reject the record with the reason.
 */
public final class DocumentCleaner implements RecordJudge<CleanDocument> {

  public static final String STAGE = "clean";

  private final RawRecordDecoder decoder;
  private final TextExtractor extractor;
  private final TextNormalizer normalizer = new TextNormalizer();
  private final int rejectedPayloadMaxBytes;

  /** With the default extraction budget, {@link TextExtractor#DEFAULT_BUDGET}. */
  public DocumentCleaner(int documentMaxBytes, int rejectedPayloadMaxBytes) {
    this(documentMaxBytes, rejectedPayloadMaxBytes, TextExtractor.DEFAULT_BUDGET);
  }

  /**
   * @param documentMaxBytes the largest payload accepted ({@code documents.max.bytes})
   * @param rejectedPayloadMaxBytes how much of a rejected payload to keep
   * @param extractionBudget the most time one HTML page may take to extract; slower ones are
   *     rejected with reason {@code extraction_timeout}
   */
  public DocumentCleaner(
      int documentMaxBytes, int rejectedPayloadMaxBytes, Duration extractionBudget) {
    this.decoder = new RawRecordDecoder(documentMaxBytes);
    this.extractor = new TextExtractor(extractionBudget);
    this.rejectedPayloadMaxBytes = rejectedPayloadMaxBytes;
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
      TextExtractor.Extracted extracted = extractor.extract(raw);
      String text = normalizer.normalize(extracted.text());
      if (text.isEmpty()) {
        throw new DocumentRejectedException(
            RejectReason.EMPTY_TEXT,
            "no text left after extraction and normalisation ("
                + raw.getBody().remaining()
                + " bytes of "
                + raw.getContentType()
                + ")");
      }
      return new Verdict.Pass<>(
          raw.getId(),
          CleanDocument.newBuilder()
              .setId(raw.getId())
              .setUrl(raw.getUrl())
              .setSource(raw.getSource())
              .setText(text)
              .setTitle(extracted.title())
              .setMetadata(raw.getMetadata())
              .build());
    } catch (DocumentRejectedException e) {
      return reject(raw.getId(), e, value, origin);
    }
  }

  private Verdict<CleanDocument> reject(
      String id, DocumentRejectedException e, byte[] value, Origin origin) {
    return new Verdict.Reject<>(
        id,
        Rejection.ofRecord(
            id,
            STAGE,
            e.reason(),
            e.detail(),
            origin.topic(),
            origin.partition(),
            origin.offset(),
            value,
            rejectedPayloadMaxBytes));
  }
}
