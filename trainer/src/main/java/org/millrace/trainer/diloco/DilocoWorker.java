package org.millrace.trainer.diloco;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.millrace.trainer.optim.ModelTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a DiLoCo run (Douillard et al. 2023, arXiv:2311.08105, algorithm 1), beside its
 * trainer: it keeps the global parameters of the last round and the outer optimizer, and after
 * every H inner steps it sends θ_global − θ_local to the sync topic, reads the round's
 * contributions, takes the outer step and sets the model to the new global parameters. The inner
 * AdamW keeps its moments across rounds, as in the paper.
 *
 * <p>Its state goes into every checkpoint of the trainer ({@link #save}): the global parameters,
 * the outer momentum, the last round applied, the sync topic's offset after it and the step at
 * which the current round began. A worker that restarts reads the rounds that closed since ({@link
 * #catchUp}); if its own round closed without it, the inner steps it took in that round are dropped
 * and it goes on from the round's global parameters, like every other worker.
 */
public final class DilocoWorker {

  public static final String STATE_FILE = "diloco-state.json";
  public static final String GLOBAL_FILE = "diloco-global.safetensors";
  public static final String MOMENTUM_FILE = "diloco-outer-momentum.safetensors";

  private static final Logger log = LoggerFactory.getLogger(DilocoWorker.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The content of {@value #STATE_FILE}.
   *
   * @param round the last round applied (0: none yet)
   * @param syncOffset the sync topic's offset after the record that closed it (-1: its start)
   * @param roundStartStep the inner step at which the current round began
   */
  record State(int workers, int worker, long round, long syncOffset, long roundStartStep) {}

  private final DilocoSettings settings;
  private final RoundExchange exchange;
  private final Map<String, float[]> global;
  private final OuterOptimizer outer;
  private final int size;
  private volatile long round;
  private long syncOffset;
  private long roundStartStep;
  private volatile RoundExchange.ClosedRound lastRound;
  // written by the training thread, read by the metrics endpoint
  private volatile long bytesSent;

  private DilocoWorker(
      DilocoSettings settings, RoundExchange exchange, Map<String, float[]> global, State state) {
    this.settings = settings;
    this.exchange = exchange;
    this.global = global;
    this.outer = new OuterOptimizer(settings.outerLearningRate(), settings.outerMomentum(), global);
    this.size = PseudoGradient.size(global);
    this.round = state.round();
    this.syncOffset = state.syncOffset();
    this.roundStartStep = state.roundStartStep();
  }

  /**
   * A worker that starts the run, or joins it, from the trainer's freshly drawn parameters: every
   * worker draws the same from the run's seed, so round 0's global parameters are the same for all.
   */
  public static DilocoWorker start(
      DilocoSettings settings, RoundExchange exchange, ModelTrainer trainer) {
    return new DilocoWorker(
        settings,
        exchange,
        ModelParameters.read(trainer),
        new State(settings.workers(), settings.worker(), 0, -1, 0));
  }

  /** A worker as a checkpoint of the trainer saved it. */
  public static DilocoWorker restore(
      DilocoSettings settings, RoundExchange exchange, ModelTrainer trainer, Path checkpoint)
      throws IOException {
    Path stateFile = checkpoint.resolve(STATE_FILE);
    if (!Files.isRegularFile(stateFile)) {
      throw new IOException(
          "checkpoint "
              + checkpoint
              + " is not a DiLoCo worker's (no "
              + STATE_FILE
              + "): trainer.diloco.workers differs from the run's");
    }
    State state = JSON.readValue(stateFile.toFile(), State.class);
    if (state.workers() != settings.workers() || state.worker() != settings.worker()) {
      throw new IllegalArgumentException(
          String.format(
              "checkpoint %s is worker %d of %d, this trainer is configured as worker %d of %d",
              checkpoint, state.worker(), state.workers(), settings.worker(), settings.workers()));
    }
    DilocoWorker worker =
        new DilocoWorker(
            settings,
            exchange,
            ModelParameters.load(trainer, checkpoint.resolve(GLOBAL_FILE)),
            state);
    worker.outer.loadVelocity(ModelParameters.load(trainer, checkpoint.resolve(MOMENTUM_FILE)));
    return worker;
  }

  /** Writes this worker's state into a checkpoint folder being written. */
  public void save(ModelTrainer trainer, Path checkpoint) throws IOException {
    ModelParameters.save(trainer, global, checkpoint.resolve(GLOBAL_FILE));
    ModelParameters.save(trainer, outer.velocity(), checkpoint.resolve(MOMENTUM_FILE));
    JSON.writeValue(
        checkpoint.resolve(STATE_FILE).toFile(),
        new State(settings.workers(), settings.worker(), round, syncOffset, roundStartStep));
  }

  /** Whether the trainer, at {@code step}, has taken the round's H inner steps. */
  public boolean roundDue(long step) {
    return step - roundStartStep >= settings.innerSteps();
  }

  /**
   * Ends the current round: sends this worker's pseudo-gradient, waits for the round to close,
   * applies it and any later round already closed, and sets the model to the global parameters.
   *
   * @return false when {@code stopRequested} turned true before the round closed; nothing changed
   */
  public boolean finishRound(ModelTrainer trainer, long step, BooleanSupplier stopRequested) {
    long next = round + 1;
    float[] pseudoGradient = PseudoGradient.of(global, ModelParameters.read(trainer));
    long started = System.nanoTime();
    long sent = exchange.publish(next, pseudoGradient);
    bytesSent += sent;
    RoundExchange.ClosedRound closed = exchange.awaitClose(next, syncOffset, size, stopRequested);
    if (closed == null) {
      return false;
    }
    apply(closed);
    logRound(closed, sent, (System.nanoTime() - started) / 1e9);
    catchUpInLog();
    ModelParameters.write(trainer, global);
    roundStartStep = step;
    return true;
  }

  /**
   * Applies the rounds that closed in the log since this worker's last one (a worker that restarts,
   * or joins late). If any did, the model is set to the new global parameters and a new round
   * begins at {@code step}.
   *
   * @return the number of rounds applied
   */
  public int catchUp(ModelTrainer trainer, long step) {
    int applied = catchUpInLog();
    if (applied > 0) {
      ModelParameters.write(trainer, global);
      log.info(
          "Worker {} caught up {} round(s) from the sync topic; at round {}, training round {} from"
              + " step {}",
          settings.worker(),
          applied,
          round,
          round + 1,
          step);
      roundStartStep = step;
    }
    return applied;
  }

  /**
   * Applies the rounds closed in the log after this worker's last one, up to a round that holds
   * this worker's own contribution: that one it sent before it restarted without a checkpoint of
   * it, so it trains the round again (the same tokens, the same steps) and applies it when the
   * round ends, which keeps its tokens trained once and its stream position where the round left
   * it.
   */
  private int catchUpInLog() {
    int applied = 0;
    RoundExchange.ClosedRound closed;
    while ((closed = exchange.closedInLog(round + 1, syncOffset, size)) != null) {
      if (closed.contributors().contains(settings.worker())) {
        log.info(
            "Round {} closed with this worker's contribution, sent before it restarted: training"
                + " the round again",
            closed.round());
        break;
      }
      apply(closed);
      applied++;
    }
    return applied;
  }

  private void apply(RoundExchange.ClosedRound closed) {
    outer.step(global, PseudoGradient.unflatten(closed.meanPseudoGradient(), global));
    round = closed.round();
    syncOffset = closed.nextOffset();
    lastRound = closed;
  }

  private void logRound(RoundExchange.ClosedRound closed, long bytesSent, double seconds) {
    int workers = settings.workers();
    int innerSteps = settings.innerSteps();
    // A ring all-reduce of fp32 gradients sends 2·(K−1)/K·4·P bytes per worker and step.
    double allReducePerStep = 2.0 * (workers - 1) / workers * 4.0 * size;
    double perStep = (double) bytesSent / innerSteps;
    log.info(
        String.format(
            "Round %d closed with %d of %d contributions (workers %s%s)%s, %.1f s after sending;"
                + " sent %,d bytes, %,.0f per inner step, against %,.0f per step for a"
                + " synchronous all-reduce: %.0fx less",
            closed.round(),
            closed.contributors().size(),
            workers,
            closed.contributors(),
            closed.closedBy() == null
                ? ""
                : ", closed by worker " + closed.closedBy() + "'s timeout",
            closed.contributors().contains(settings.worker())
                ? ""
                : "; this worker's came too late and does not count",
            seconds,
            bytesSent,
            perStep,
            allReducePerStep,
            allReducePerStep / perStep));
  }

  /** This worker's index, I. */
  public int worker() {
    return settings.worker();
  }

  /** Bytes of pseudo-gradient values this worker has sent since it started. */
  public long bytesSent() {
    return bytesSent;
  }

  /** The last round applied; 0 before the first. */
  public long round() {
    return round;
  }

  /** The last round this worker applied, null before the first; safe to read from any thread. */
  public RoundExchange.ClosedRound lastRound() {
    return lastRound;
  }

  /** The global parameters of the last round, by name; live, do not change them. */
  public Map<String, float[]> globalParameters() {
    return global;
  }

  public void close() {
    exchange.close();
  }
}
