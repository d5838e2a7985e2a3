package org.millrace.cli.sweep;

/**
 * One trained model of a sweep: its parameter count {@code N}, the tokens it trained on {@code D},
 * and its final validation loss in nats per token.
 */
public record ScalingRun(double params, double tokens, double loss) {

  public ScalingRun {
    if (!(params > 0 && tokens > 0 && loss > 0)
        || !Double.isFinite(params)
        || !Double.isFinite(tokens)
        || !Double.isFinite(loss)) {
      throw new IllegalArgumentException(
          "params, tokens and loss must be finite and positive, got "
              + params
              + ", "
              + tokens
              + ", "
              + loss);
    }
  }
}
