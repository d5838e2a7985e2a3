package org.millrace.processors.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LshBandsTest {

  private final LshBands fineWeb = new LshBands(14, 8);

  @Test
  void fineWebsSettingsHaveTheirThresholdNearPointSevenTwo() {
    assertThat(fineWeb.signatureSize()).isEqualTo(112);
    assertThat(fineWeb.threshold()).isCloseTo(0.719, within(0.001));
    assertThat(fineWeb.candidateProbability(0.5)).isCloseTo(0.0532, within(0.0005));
    assertThat(fineWeb.candidateProbability(0.8)).isCloseTo(0.9235, within(0.0005));
    assertThat(fineWeb.candidateProbability(1.0)).isEqualTo(1.0);
  }

  @Test
  void bandsOfEqualRowsButDifferentPlacesAreDifferentBuckets() {
    int[] signature = new int[112]; // every row equal: band contents are the same
    assertThat(fineWeb.bucket(signature, 0)).isNotEqualTo(fineWeb.bucket(signature, 1));
    assertThat(fineWeb.bucket(signature, 3)).startsWith("b3:");
  }

  @Test
  void aBandDependsOnItsOwnRowsOnly() {
    int[] a = new int[112];
    int[] b = new int[112];
    b[8] = 1; // a row of band 1

    assertThat(fineWeb.bucket(a, 0)).isEqualTo(fineWeb.bucket(b, 0));
    assertThat(fineWeb.bucket(a, 1)).isNotEqualTo(fineWeb.bucket(b, 1));
  }

  @Test
  void refusesEmptyBands() {
    assertThatThrownBy(() -> new LshBands(0, 8)).hasMessageContaining("at least one band");
  }
}
