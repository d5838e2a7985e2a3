package org.millrace.trainer.stream;

/**
 * The token stream holds ids made by another tokenizer than the trainer's: training on them would
 * teach the model nonsense, so the trainer stops and says which tokenizers differ.
 */
public final class TokenizerMismatchException extends RuntimeException {

  public TokenizerMismatchException(
      String documentId, String recordFingerprint, String trainerFingerprint, String where) {
    super(
        "token record of document "
            + documentId
            + " at "
            + where
            + " was made by tokenizer "
            + recordFingerprint
            + ", but this trainer's tokenizer is "
            + trainerFingerprint
            + ": retokenize the corpus with the trainer's tokenizer, or train with the tokenizer"
            + " that made the stream");
  }
}
