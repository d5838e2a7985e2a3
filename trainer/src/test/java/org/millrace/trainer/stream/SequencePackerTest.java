package org.millrace.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequencePackerTest {

  @Test
  void documentsArePackedEndToEndIntoWindowsThatOverlapByOneToken() {
    SequencePacker packer = new SequencePacker();
    packer.add(new int[] {1, 2, 3});
    packer.add(new int[] {4, 5, 6, 7});

    assertThat(packer.hasBatch(2, 3)).isTrue();
    assertThat(packer.takeBatch(2, 3)).containsExactly(1, 2, 3, 4, /* */ 4, 5, 6, 7);
    assertThat(packer.pendingTokens()).containsExactly(7);
  }

  @Test
  void everyTokenIsAnInputExactlyOnce() {
    SequencePacker packer = new SequencePacker();
    packer.add(IntStream.range(0, 1000).toArray());
    int blockSize = 16;
    int batchSize = 3;
    int inputs = 0;
    int expectedNextInput = 0;

    while (packer.hasBatch(batchSize, blockSize)) {
      int[] windows = packer.takeBatch(batchSize, blockSize);
      for (int b = 0; b < batchSize; b++) {
        for (int t = 0; t < blockSize; t++) {
          assertThat(windows[b * (blockSize + 1) + t]).isEqualTo(expectedNextInput++);
          inputs++;
        }
      }
    }

    assertThat(inputs + packer.pending()).isEqualTo(1000 + 0); // consumed inputs plus what is left
    assertThat(packer.pendingTokens()[0]).isEqualTo(expectedNextInput);
  }

  @Test
  void aPackerRestoredWithPendingTokensContinuesWhereTheOldOneStopped() {
    SequencePacker original = new SequencePacker();
    original.add(IntStream.range(0, 50).toArray());
    original.takeBatch(2, 10);
    SequencePacker restored = new SequencePacker(original.pendingTokens());

    original.add(IntStream.range(50, 80).toArray());
    restored.add(IntStream.range(50, 80).toArray());

    assertThat(restored.takeBatch(2, 10)).containsExactly(original.takeBatch(2, 10));
  }

  @Test
  void takingMoreThanIsPendingIsRefused() {
    SequencePacker packer = new SequencePacker(new int[] {1, 2, 3});

    assertThat(packer.hasBatch(1, 3)).isFalse();
    assertThatThrownBy(() -> packer.takeBatch(1, 3)).hasMessageContaining("only 3 tokens pending");
  }
}
