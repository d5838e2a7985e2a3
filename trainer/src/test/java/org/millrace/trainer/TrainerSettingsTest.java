package org.millrace.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.tokenizer.ByteLevelTokenizer;
import org.millrace.trainer.model.GptConfig;

class TrainerSettingsTest {

  private static TrainerSettings settings(Map<String, String> values) {
    return TrainerSettings.from(MillraceConfig.of(values), new ByteLevelTokenizer());
  }

  @Test
  void layersAndWidthResizeTheGptPresetKeepingItsHeadSize() {
    GptConfig model =
        (GptConfig)
            settings(Map.of(TrainerKeys.MODEL_LAYERS, "3", TrainerKeys.MODEL_WIDTH, "96")).model();
    assertThat(model.layers()).isEqualTo(3);
    assertThat(model.embeddingDim()).isEqualTo(96);
    assertThat(model.heads()).isEqualTo(3); // tiny's heads are 32 wide
    assertThat(model.blockSize()).isEqualTo(64);
    assertThat(model.parameterCount()).isGreaterThan(settings(Map.of()).model().parameterCount());
  }

  @Test
  void unsetTheyLeaveThePresetAsItIs() {
    assertThat(settings(Map.of()).model()).isEqualTo(GptConfig.tiny(259));
  }

  @Test
  void aWidthThatIsNotAMultipleOfTheHeadSizeOrAnotherArchitectureIsRefused() {
    assertThatThrownBy(() -> settings(Map.of(TrainerKeys.MODEL_WIDTH, "100")))
        .hasMessageContaining(
            "trainer.model.width 100 is not a multiple of the preset's head size, 32");
    assertThatThrownBy(
            () ->
                settings(Map.of(TrainerKeys.ARCHITECTURE, "llama", TrainerKeys.MODEL_LAYERS, "3")))
        .hasMessageContaining("apply to the gpt architecture only, not llama");
  }

  @Test
  void aSingleTrainerIsTheDefaultAndAWorkerCheckpointsInAFolderOfItsOwn() {
    TrainerSettings single = settings(Map.of());
    assertThat(single.diloco().enabled()).isFalse();
    assertThat(single.checkpointDirectory().getFileName().toString()).isEqualTo("default");

    TrainerSettings worker =
        settings(Map.of(TrainerKeys.DILOCO_WORKERS, "4", TrainerKeys.DILOCO_WORKER, "3"));
    assertThat(worker.diloco().enabled()).isTrue();
    assertThat(worker.diloco().innerSteps()).isEqualTo(500); // DiLoCo's H
    assertThat(worker.diloco().outerLearningRate()).isEqualTo(0.7);
    assertThat(worker.diloco().outerMomentum()).isEqualTo(0.9);
    assertThat(worker.checkpointDirectory())
        .isEqualTo(single.checkpointDirectory().resolve("worker-3"));
  }

  @Test
  void aWorkerIndexOrQuorumBeyondTheWorkersIsRefused() {
    assertThatThrownBy(
            () -> settings(Map.of(TrainerKeys.DILOCO_WORKERS, "2", TrainerKeys.DILOCO_WORKER, "2")))
        .hasMessageContaining("trainer.diloco.worker is 2, but trainer.diloco.workers is 2");
    assertThatThrownBy(
            () -> settings(Map.of(TrainerKeys.DILOCO_WORKERS, "2", TrainerKeys.DILOCO_QUORUM, "3")))
        .hasMessageContaining("trainer.diloco.quorum is 3, more than the 2 workers");
  }
}
