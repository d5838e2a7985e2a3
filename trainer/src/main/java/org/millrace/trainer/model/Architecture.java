package org.millrace.trainer.model;

import java.util.Arrays;
import java.util.List;

/**
 * The architectures of the zoo, each with its identifier in configuration and checkpoints, its
 * configuration record and its named presets.
 */
public enum Architecture {
  /** GPT-2-style decoder ({@link Gpt}), next-token prediction. */
  GPT("gpt", GptConfig.class, "tiny", "small", "medium", "gpt2"),
  /** Llama-style decoder ({@link Llama}), next-token prediction. */
  LLAMA("llama", LlamaConfig.class, "tiny", "small", "medium", "base"),
  /** BERT-style encoder ({@link Encoder}), masked language modelling. */
  ENCODER("encoder", EncoderConfig.class, "tiny", "small", "medium", "base"),
  /** Hybrid attention and Mamba-2 decoder ({@link Hybrid}), next-token prediction. */
  HYBRID("hybrid", HybridConfig.class, "tiny", "small", "medium", "base");

  private final String id;
  private final Class<? extends ModelConfig> configType;
  private final List<String> presets;

  Architecture(String id, Class<? extends ModelConfig> configType, String... presets) {
    this.id = id;
    this.configType = configType;
    this.presets = List.of(presets);
  }

  /** The identifier in configuration files and checkpoints: {@code gpt}, {@code llama}, … */
  public String id() {
    return id;
  }

  /** The record that configures this architecture, for reading it from JSON. */
  public Class<? extends ModelConfig> configType() {
    return configType;
  }

  /** The names {@link #preset} knows, smallest first. */
  public List<String> presets() {
    return presets;
  }

  /** The architecture of identifier {@code id}. */
  public static Architecture of(String id) {
    return Arrays.stream(values())
        .filter(architecture -> architecture.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown architecture '"
                        + id
                        + "', expected one of "
                        + Arrays.stream(values()).map(Architecture::id).toList()));
  }

  /**
   * The preset called {@code name}: {@code tiny}, {@code small} (model A of docs/djl.md), {@code
   * medium} (model B), and the 12-layer, 768-wide one: {@code gpt2} for GPT, {@code base} for
   * Llama, the encoder and the hybrid.
   *
   * @param maskTokenId the tokenizer's mask token, read by the encoder only
   */
  public ModelConfig preset(String name, int vocabSize, int maskTokenId) {
    ModelConfig preset =
        switch (this) {
          case GPT ->
              switch (name) {
                case "tiny" -> GptConfig.tiny(vocabSize);
                case "small" -> GptConfig.small(vocabSize);
                case "medium" -> GptConfig.medium(vocabSize);
                case "gpt2" -> GptConfig.gpt2(vocabSize);
                default -> null;
              };
          case LLAMA ->
              switch (name) {
                case "tiny" -> LlamaConfig.tiny(vocabSize);
                case "small" -> LlamaConfig.small(vocabSize);
                case "medium" -> LlamaConfig.medium(vocabSize);
                case "base" -> LlamaConfig.base(vocabSize);
                default -> null;
              };
          case ENCODER ->
              switch (name) {
                case "tiny" -> EncoderConfig.tiny(vocabSize, maskTokenId);
                case "small" -> EncoderConfig.small(vocabSize, maskTokenId);
                case "medium" -> EncoderConfig.medium(vocabSize, maskTokenId);
                case "base" -> EncoderConfig.base(vocabSize, maskTokenId);
                default -> null;
              };
          case HYBRID ->
              switch (name) {
                case "tiny" -> HybridConfig.tiny(vocabSize);
                case "small" -> HybridConfig.small(vocabSize);
                case "medium" -> HybridConfig.medium(vocabSize);
                case "base" -> HybridConfig.base(vocabSize);
                default -> null;
              };
        };
    if (preset == null) {
      throw new IllegalArgumentException(
          "Unknown " + id + " preset '" + name + "', expected one of " + presets);
    }
    return preset;
  }
}
