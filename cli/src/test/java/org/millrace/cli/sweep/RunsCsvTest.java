package org.millrace.cli.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsCsvTest {

  @TempDir Path folder;

  private Path csv(String text) throws Exception {
    Path file = folder.resolve("runs.csv");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void readsTheThreeColumnsInAnyOrderAmongOthers() throws Exception {
    Path file = csv("run_id,loss,tokens,params\na,3.5,1000,200\n\nb,3.0,2e3,4.5e2\n");
    assertThat(RunsCsv.scalingRuns(file))
        .containsExactly(new ScalingRun(200, 1000, 3.5), new ScalingRun(450, 2000, 3.0));
  }

  @Test
  void aMissingHeaderIsNamed() throws Exception {
    Path file = csv("200,1000,3.5\n");
    assertThatThrownBy(() -> RunsCsv.scalingRuns(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("missing [params, tokens, loss]");
  }

  @Test
  void anEmptyFileIsRefused() throws Exception {
    Path file = csv("");
    assertThatThrownBy(() -> RunsCsv.scalingRuns(file)).hasMessageContaining("line 1: empty");
  }

  @Test
  void badRowsAreReportedWithTheirLineNumber() throws Exception {
    assertThatThrownBy(() -> RunsCsv.scalingRuns(csv("params,tokens,loss\n1,2,3\n1,2\n")))
        .hasMessageContaining("line 3: 2 fields where the header has 3");
    assertThatThrownBy(() -> RunsCsv.scalingRuns(csv("params,tokens,loss\n1,2,3\n1,two,3\n")))
        .hasMessageContaining("line 3: tokens 'two' is not a number");
    assertThatThrownBy(() -> RunsCsv.scalingRuns(csv("params,tokens,loss\n1,2,-3\n")))
        .hasMessageContaining("line 2: loss must be positive and finite, got -3");
    assertThatThrownBy(() -> RunsCsv.scalingRuns(csv("params,tokens,loss\nNaN,2,3\n")))
        .hasMessageContaining("line 2: params must be positive and finite");
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = folder.resolve("nowhere.csv");
    assertThatThrownBy(() -> RunsCsv.scalingRuns(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nowhere.csv: no such file");
  }
}
