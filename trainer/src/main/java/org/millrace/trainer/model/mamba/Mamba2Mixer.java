package org.millrace.trainer.model.mamba;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.millrace.trainer.model.GptInitialisation;

/**
 * The Mamba-2 mixer (Dao and Gu 2024, arXiv:2405.21060, its block design), as the reference's
 * {@code Mamba2Simple}:
 *
 * <ol>
 *   <li>one input projection into {@code [z, x, B, C, dt]} of widths {@code d_inner, d_inner, G·N,
 *       G·N, H};
 *   <li>the causal depthwise convolution ({@link CausalConvolution}) and SiLU over {@code x, B, C};
 *   <li>{@code dt = softplus(dt + dtBias)} and {@code A = -exp(aLog)}, one each per head;
 *   <li>the SSD scan ({@link SsdScan}), heads of P channels sharing B and C within their group;
 *   <li>the skip {@code D·x}, one D per head;
 *   <li>the gated RMSNorm of {@code y·silu(z)} ({@link GatedRmsNorm}) and the output projection.
 * </ol>
 *
 * <p>Parameters: {@code inProj.weight} (projected, C), {@code conv.weight} and {@code conv.bias},
 * {@code dtBias}, {@code aLog} and {@code d} (H each), {@code norm.weight} (d_inner), {@code
 * outProj.weight} (C, d_inner). The per-head {@code dtBias}, {@code aLog} and {@code d} are
 * vectors, so our AdamW, which decays matrices only, leaves them out of weight decay as the
 * reference does ({@code _no_weight_decay}); the model is trained in float32 throughout, so they
 * are float32 too (the reference keeps them so under mixed precision, which we do not reach:
 * docs/djl.md, fact 7). Input (B, T, C); output (B, T, C).
 *
 * <p>Initialisation as published ({@code Mamba2Simple.__init__}): dt log-uniform in [1e-3, 0.1],
 * floored at 1e-4, stored as its inverse softplus in {@code dtBias}; {@code aLog = log(U[1, 16])};
 * {@code D = 1}; the projections as the rest of our models, N(0, 0.02), the output one at the given
 * residual standard deviation.
 */
public final class Mamba2Mixer extends AbstractBlock {

  /** The range of dt at initialisation and its floor (the reference's dt_min, dt_max, floor). */
  static final double DT_MIN = 1e-3;

  static final double DT_MAX = 0.1;
  static final double DT_FLOOR = 1e-4;

  /** The range of -A at initialisation (the reference's A_init_range). */
  static final double A_MIN = 1;

  static final double A_MAX = 16;

  private final Mamba2Settings settings;
  private final Linear inProj;
  private final CausalConvolution conv;
  private final Parameter dtBias;
  private final Parameter aLog;
  private final Parameter d;
  private final GatedRmsNorm norm;
  private final Linear outProj;

  /** Builds the mixer for {@code settings}. */
  public Mamba2Mixer(Mamba2Settings settings) {
    this.settings = settings;
    int heads = settings.heads();
    inProj = addChildBlock("inProj", GptInitialisation.projection(settings.projectedDim(), false));
    conv =
        addChildBlock(
            "conv", new CausalConvolution(settings.convolvedDim(), settings.convKernel()));
    dtBias = addParameter(headVector("dtBias", heads, Mamba2Mixer::initialDtBias));
    aLog = addParameter(headVector("aLog", heads, Mamba2Mixer::initialALog));
    d = addParameter(headVector("d", heads, Initializer.ONES));
    norm = addChildBlock("norm", new GatedRmsNorm(settings.innerDim(), settings.groups()));
    outProj =
        addChildBlock(
            "outProj", GptInitialisation.linear(settings.width(), false, settings.outputInitStd()));
  }

  /** The sizes of this mixer. */
  public Mamba2Settings settings() {
    return settings;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray u = inputs.singletonOrThrow();
    NDArray[] zXbcDt = splitProjection(parameterStore, u, training);
    NDArray xbc = silu(conv.forward(parameterStore, new NDList(zXbcDt[1]), training).head());
    Heads heads = heads(parameterStore, xbc, zXbcDt[2], training);
    NDArray y =
        SsdScan.chunked(heads.x, heads.dt, heads.a, heads.b, heads.c, settings.chunkSize()).y();
    return new NDList(output(parameterStore, y, heads, zXbcDt[0], training));
  }

  /**
   * One position for generation: {@code u} (B, 1, C) in, (B, 1, C) out, reading and updating the
   * convolution window and SSM state in {@code state}. Equals the last position of {@link #forward}
   * over all positions so far.
   */
  public NDArray step(ParameterStore parameterStore, NDArray u, Mamba2State state) {
    NDArray[] zXbcDt = splitProjection(parameterStore, u, false);
    NDArray window = state.window().concat(zXbcDt[1], 1); // (B, K, convolved)
    NDArray xbc = silu(conv.valid(parameterStore, window, false));
    Heads heads = heads(parameterStore, xbc, zXbcDt[2], false);
    SsdScan.Output next =
        SsdScan.step(
            state.ssm(),
            heads.x.squeeze(1),
            heads.dt.squeeze(1),
            heads.a,
            heads.b.squeeze(1),
            heads.c.squeeze(1));
    state.update(window.get(":, 1:"), next.finalState());
    return output(parameterStore, next.y().expandDims(1), heads, zXbcDt[0], false);
  }

  /** A zero generation state for {@code batch} sequences. */
  public Mamba2State newState(NDManager manager, int batch, DataType type) {
    return new Mamba2State(settings, batch, manager, type);
  }

  /** The per-position tensors of the scan, by head. */
  private record Heads(NDArray x, NDArray dt, NDArray a, NDArray b, NDArray c) {}

  /** {@code [z, xBC, dt]} of the input projection. */
  private NDArray[] splitProjection(ParameterStore parameterStore, NDArray u, boolean training) {
    NDArray projected = inProj.forward(parameterStore, new NDList(u), training).head();
    int inner = settings.innerDim();
    NDList parts = projected.split(new long[] {inner, inner + settings.convolvedDim()}, 2);
    return new NDArray[] {parts.get(0), parts.get(1), parts.get(2)};
  }

  /** x, B, C by head, dt and A from the convolved {@code xbc} and the projected {@code dt}. */
  private Heads heads(
      ParameterStore parameterStore, NDArray xbc, NDArray dtProjected, boolean training) {
    Shape shape = xbc.getShape();
    long batch = shape.get(0);
    long t = shape.get(1);
    int inner = settings.innerDim();
    int groupWidth = settings.groups() * settings.stateDim();
    NDList parts = xbc.split(new long[] {inner, inner + groupWidth}, 2);
    int headsPerGroup = settings.heads() / settings.groups();
    NDArray x = parts.get(0).reshape(batch, t, settings.heads(), settings.headDim());
    // group g serves heads g·H/G to (g+1)·H/G - 1: repeat_interleave over the group axis
    NDArray b =
        parts
            .get(1)
            .reshape(batch, t, settings.groups(), settings.stateDim())
            .repeat(2, headsPerGroup);
    NDArray c =
        parts
            .get(2)
            .reshape(batch, t, settings.groups(), settings.stateDim())
            .repeat(2, headsPerGroup);
    NDManager manager = xbc.getManager();
    NDArray dt =
        Activation.softPlus(dtProjected.add(value(parameterStore, dtBias, manager, training)));
    NDArray a = value(parameterStore, aLog, manager, training).exp().neg();
    return new Heads(x, dt, a, b, c);
  }

  /** {@code outProj(gatedNorm(y + D·x, z))} for y (B, T, H, P). */
  private NDArray output(
      ParameterStore parameterStore, NDArray y, Heads heads, NDArray z, boolean training) {
    Shape shape = y.getShape();
    NDArray skip = value(parameterStore, d, y.getManager(), training).reshape(settings.heads(), 1);
    NDArray withSkip =
        y.add(heads.x.mul(skip)).reshape(shape.get(0), shape.get(1), settings.innerDim());
    NDArray normed = norm.forward(parameterStore, new NDList(withSkip, z), training).head();
    return outProj.forward(parameterStore, new NDList(normed), training).head();
  }

  /**
   * The value of a per-head parameter as an array of {@code manager}: computing on the parameter
   * itself first would leave each result in the model's manager (docs/djl.md, fact 2). The addition
   * keeps the gradient's path to the parameter.
   */
  private static NDArray value(
      ParameterStore parameterStore, Parameter parameter, NDManager manager, boolean training) {
    NDArray array = parameterStore.getValue(parameter, manager.getDevice(), training);
    return manager.zeros(new Shape(), array.getDataType()).add(array);
  }

  private static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  private static Parameter headVector(String name, int heads, Initializer initializer) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.OTHER)
        .optShape(new Shape(heads))
        .optInitializer(initializer)
        .build();
  }

  /**
   * dt drawn log-uniform in [{@value #DT_MIN}, {@value #DT_MAX}], floored at {@value #DT_FLOOR},
   * stored as its inverse softplus {@code dt + log(-expm1(-dt))}, so that {@code softplus(dtBias)}
   * is dt at the start.
   */
  static NDArray initialDtBias(NDManager manager, Shape shape, DataType type) {
    double[] uniform = uniform(manager, shape, 0, 1);
    double[] bias = new double[uniform.length];
    for (int i = 0; i < bias.length; i++) {
      double logDt = Math.log(DT_MIN) + uniform[i] * (Math.log(DT_MAX) - Math.log(DT_MIN));
      double dt = Math.max(Math.exp(logDt), DT_FLOOR);
      bias[i] = dt + Math.log(-Math.expm1(-dt));
    }
    return create(manager, bias, shape, type);
  }

  /** {@code log(U[1, 16])}: decay rates spread over an order of magnitude. */
  static NDArray initialALog(NDManager manager, Shape shape, DataType type) {
    double[] logA = uniform(manager, shape, A_MIN, A_MAX);
    for (int i = 0; i < logA.length; i++) {
      logA[i] = Math.log(logA[i]);
    }
    return create(manager, logA, shape, type);
  }

  /**
   * Draws from U[low, high) with the engine's seeded generator, so that the seed of {@code
   * LanguageModel.initializeParameters} decides it; the draw is freed, leaving {@code manager} only
   * the parameter.
   */
  private static double[] uniform(NDManager manager, Shape shape, double low, double high) {
    try (NDArray draw = manager.randomUniform((float) low, (float) high, shape, DataType.FLOAT64)) {
      return draw.toDoubleArray();
    }
  }

  private static NDArray create(NDManager manager, double[] values, Shape shape, DataType type) {
    if (type == DataType.FLOAT64) {
      return manager.create(values, shape);
    }
    float[] floats = new float[values.length];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) values[i];
    }
    return manager.create(floats, shape).toType(type, false);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = inputShapes[0];
    inProj.initialize(manager, dataType, input);
    Shape convolved = new Shape(input.get(0), input.get(1), settings.convolvedDim());
    conv.initialize(manager, dataType, convolved);
    Shape inner = new Shape(input.get(0), input.get(1), settings.innerDim());
    norm.initialize(manager, dataType, inner, inner);
    outProj.initialize(manager, dataType, inner);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
