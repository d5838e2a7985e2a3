package org.millrace.processors.tokenize;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.tokenizer.CharacterTokenizer;
import org.millrace.tokenizer.PackedTokenIds;
import org.millrace.tokenizer.Tokenizer;

/**
 * Turns a document into token records: its ids followed by end-of-text, cut into chunks of at most
 * {@code chunkTokens} ids so that no record outgrows the topic's maximum message size. The chunks
 * of a document share its key, so they stay in order on one partition.
 */
public final class DocumentTokenizer {

  private final Tokenizer tokenizer;
  private final int chunkTokens;
  private final DocumentSplit split;
  private final int tokenWidth;

  public DocumentTokenizer(Tokenizer tokenizer, int chunkTokens, DocumentSplit split) {
    if (chunkTokens < 1) {
      throw new IllegalArgumentException(
          "chunk size must be at least one token, got " + chunkTokens);
    }
    this.tokenizer = tokenizer;
    this.chunkTokens = chunkTokens;
    this.split = split;
    this.tokenWidth = PackedTokenIds.widthFor(tokenizer.vocabularySize());
  }

  public List<TokenizedDocument> tokenize(CleanDocument document) throws DocumentRejectedException {
    int[] ids;
    try {
      ids = tokenizer.encode(document.getText());
    } catch (CharacterTokenizer.UnknownCharacterException e) {
      throw new DocumentRejectedException(RejectReason.OUT_OF_VOCABULARY, e.getMessage());
    }
    if (ids.length == 0) {
      throw new DocumentRejectedException(
          RejectReason.EMPTY_DOCUMENT, "the tokenizer produced no tokens for this document");
    }
    int[] withEnd = Arrays.copyOf(ids, ids.length + 1);
    withEnd[ids.length] = tokenizer.endOfTextId();

    int chunkCount = (withEnd.length + chunkTokens - 1) / chunkTokens;
    List<TokenizedDocument> chunks = new ArrayList<>(chunkCount);
    for (int chunk = 0; chunk < chunkCount; chunk++) {
      int from = chunk * chunkTokens;
      int to = Math.min(withEnd.length, from + chunkTokens);
      chunks.add(
          TokenizedDocument.newBuilder()
              .setDocumentId(document.getId())
              .setChunkIndex(chunk)
              .setChunkCount(chunkCount)
              .setTokenCount(to - from)
              .setTokenWidth(tokenWidth)
              .setTokens(ByteBuffer.wrap(PackedTokenIds.pack(withEnd, from, to, tokenWidth)))
              .setTokenizerFingerprint(tokenizer.fingerprint())
              .setSplit(split.of(document.getId()))
              .setSource(document.getSource())
              .setUrl(document.getUrl())
              .build());
    }
    return chunks;
  }
}
