package org.millrace.processors.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.millrace.schemas.CleanDocument;
import org.millrace.schemas.TokenizedDocument;
import org.millrace.schemas.reject.DocumentRejectedException;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.tokenizer.PackedTokenIds;

class DocumentTokenizerTest {

  private final ByteLevelTokenizer tokenizer = new ByteLevelTokenizer();

  @Test
  void aShortDocumentIsOneRecordEndingWithEndOfText() throws Exception {
    List<TokenizedDocument> records =
        new DocumentTokenizer(tokenizer, 100, new DocumentSplit(0))
            .tokenize(document("d", "héllo"));

    assertThat(records).hasSize(1);
    TokenizedDocument record = records.get(0);
    assertThat(PackedTokenIds.unpack(record.getTokens(), record.getTokenWidth()))
        .containsExactly('h', 0xC3, 0xA9, 'l', 'l', 'o', tokenizer.endOfTextId());
    assertThat(record.getTokenCount()).isEqualTo(7);
    assertThat(record.getTokenWidth()).isEqualTo(2);
    assertThat(record.getTokenizerFingerprint()).isEqualTo(tokenizer.fingerprint());
    assertThat(record.getChunkIndex()).isZero();
    assertThat(record.getChunkCount()).isEqualTo(1);
  }

  @Test
  void aLongDocumentIsCutIntoOrderedChunksThatJoinBackToIt() throws Exception {
    String text = "abcdefghij".repeat(25); // 250 tokens + end-of-text

    List<TokenizedDocument> chunks =
        new DocumentTokenizer(tokenizer, 64, new DocumentSplit(0)).tokenize(document("long", text));

    assertThat(chunks).hasSize(4);
    assertThat(chunks).extracting(TokenizedDocument::getChunkIndex).containsExactly(0, 1, 2, 3);
    assertThat(chunks).extracting(TokenizedDocument::getTokenCount).containsExactly(64, 64, 64, 59);
    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.getChunkCount()).isEqualTo(4));
    int[] joined =
        chunks.stream()
            .flatMapToInt(
                chunk ->
                    IntStream.of(PackedTokenIds.unpack(chunk.getTokens(), chunk.getTokenWidth())))
            .toArray();
    assertThat(tokenizer.decode(joined)).isEqualTo(text + ByteLevelTokenizer.END_OF_TEXT);
  }

  @Test
  void anEmptyDocumentIsRejected() {
    DocumentTokenizer documentTokenizer =
        new DocumentTokenizer(tokenizer, 64, new DocumentSplit(0));

    assertThatThrownBy(() -> documentTokenizer.tokenize(document("e", "")))
        .isInstanceOfSatisfying(
            DocumentRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.EMPTY_DOCUMENT));
  }

  static CleanDocument document(String id, String text) {
    return CleanDocument.newBuilder().setId(id).setSource("test").setText(text).build();
  }
}
