package org.millrace.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.millrace.trainer.model.Architecture;
import org.millrace.trainer.model.LanguageModel;
import org.millrace.trainer.optim.ModelTrainer;

/**
 * Answers {@link LoglikelihoodRequest}s with a causal model, as lm-evaluation-harness's {@code
 * _loglikelihood_tokens} does: the model reads the last {@code blockSize + 1} tokens of {@code
 * context + continuation} but the last (a longer context is cut from the left), and each
 * continuation token is scored by the log-softmax of the logits one position before it.
 *
 * <p>Requests go through the model {@code batchSize} at a time, longest first, padded on the right:
 * a causal model's logits at a position do not depend on the positions after it, so the padding
 * changes nothing that is read. Everything a batch allocates lives in a child of the model's
 * manager closed after the batch.
 */
public final class LoglikelihoodScorer {

  private final LanguageModel model;
  private final NDManager manager;
  private final ParameterStore parameterStore;
  private final int batchSize;

  public LoglikelihoodScorer(ModelTrainer trainer, int batchSize) {
    if (trainer.model().config().architecture() == Architecture.ENCODER) {
      throw new IllegalArgumentException(
          "the encoder architecture is bidirectional: log-likelihood evaluation needs a causal"
              + " model (gpt, llama or hybrid)");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be positive, not " + batchSize);
    }
    this.model = trainer.model();
    this.manager = trainer.manager();
    // copy = false: the forward pass reads the parameters' own arrays
    this.parameterStore = new ParameterStore(manager, false);
    this.batchSize = batchSize;
  }

  /** The most tokens the model reads at once; a continuation may not be longer. */
  public int blockSize() {
    return model.config().blockSize();
  }

  /**
   * The answers to {@code requests}, in their order; {@code done} hears how many requests have been
   * answered after each batch.
   */
  public List<Loglikelihood> score(List<LoglikelihoodRequest> requests, IntConsumer done) {
    for (LoglikelihoodRequest request : requests) {
      if (request.continuation().length > blockSize()) {
        throw new IllegalArgumentException(
            "a continuation of "
                + request.continuation().length
                + " tokens does not fit the model's block size of "
                + blockSize());
      }
    }
    Integer[] order =
        IntStream.range(0, requests.size())
            .boxed()
            .sorted(Comparator.comparingInt(i -> -inputLength(requests.get(i))))
            .toArray(Integer[]::new);
    Loglikelihood[] answers = new Loglikelihood[requests.size()];
    ModelTrainer.recordNoGraph();
    for (int first = 0; first < order.length; first += batchSize) {
      List<Integer> batch = new ArrayList<>();
      for (int i = first; i < Math.min(order.length, first + batchSize); i++) {
        batch.add(order[i]);
      }
      scoreBatch(requests, batch, answers);
      done.accept(Math.min(order.length, first + batchSize));
    }
    return List.of(answers);
  }

  private void scoreBatch(
      List<LoglikelihoodRequest> requests, List<Integer> batch, Loglikelihood[] answers) {
    int rows = batch.size();
    int width = inputLength(requests.get(batch.get(0)));
    long[] inputs = new long[rows * width];
    long[] targets = new long[rows * width];
    for (int row = 0; row < rows; row++) {
      int[] window = window(requests.get(batch.get(row)));
      for (int i = 0; i + 1 < window.length; i++) {
        inputs[row * width + i] = window[i];
        targets[row * width + i] = window[i + 1];
      }
    }
    float[] targetLogProbabilities;
    long[] greedy;
    try (NDManager batchManager = manager.newSubManager()) {
      Shape shape = new Shape(rows, width);
      NDArray logits =
          model
              .forward(parameterStore, new NDList(batchManager.create(inputs, shape)), false)
              .singletonOrThrow();
      NDArray targetIds = batchManager.create(targets, shape).expandDims(2);
      targetLogProbabilities = logits.logSoftmax(2).gather(targetIds, 2).toFloatArray();
      greedy = logits.argMax(2).toLongArray();
    }
    for (int row = 0; row < rows; row++) {
      LoglikelihoodRequest request = requests.get(batch.get(row));
      int length = inputLength(request);
      double sum = 0;
      boolean allGreedy = true;
      for (int i = length - request.continuation().length; i < length; i++) {
        sum += targetLogProbabilities[row * width + i];
        allGreedy &= greedy[row * width + i] == targets[row * width + i];
      }
      answers[batch.get(row)] = new Loglikelihood(sum, allGreedy);
    }
  }

  /** The last {@code blockSize + 1} tokens of context and continuation: inputs and targets. */
  private int[] window(LoglikelihoodRequest request) {
    int[] context = request.context();
    int[] continuation = request.continuation();
    int length = Math.min(context.length + continuation.length, blockSize() + 1);
    int[] window = new int[length];
    for (int i = 0; i < length; i++) {
      int position = context.length + continuation.length - length + i;
      window[i] =
          position < context.length ? context[position] : continuation[position - context.length];
    }
    return window;
  }

  private int inputLength(LoglikelihoodRequest request) {
    return Math.min(request.context().length + request.continuation().length, blockSize() + 1) - 1;
  }
}
