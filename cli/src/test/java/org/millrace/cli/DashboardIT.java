package org.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.cli.dashboard.CheckpointSampler;
import org.millrace.cli.dashboard.DashboardKeys;
import org.millrace.cli.local.LocalPipeline;
import org.millrace.processors.tokenize.TokenizeKeys;
import org.millrace.producers.feed.Feeder;
import org.millrace.runtime.config.MillraceConfig;
import org.millrace.runtime.testing.TopicRecords;
import org.millrace.runtime.topics.Topics;
import org.millrace.schemas.AvroSerde;
import org.millrace.schemas.TrainerProgress;
import org.millrace.trainer.TrainerKeys;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through its chromedriver,
 * opens the page of a running local pipeline before anything is fed, then watches the charts fill
 * as the pipeline cleans, tokenizes and trains, without reloading. Saves target/dashboard.png.
 * Skips, saying so, where Chromium or chromedriver is not installed (.ci/run installs them).
 */
public class DashboardIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path DEMO_CORPUS = Path.of("target/demo-corpus/picocli");
  private static final Path SCREENSHOT = Path.of("target/dashboard.png");
  private static final int STEPS = 40;
  private static final String LOSS_CHART = "Chart.getChart('loss-chart')";

  @TempDir Path dataDir;
  @TempDir Path corpus;
  private LocalPipeline pipeline;
  private ChromeDriver browser;

  @BeforeEach
  void requireChromium() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed) {
      System.err.println(
          "DashboardIT SKIPPED: "
              + CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing (apt-get install chromium chromium-driver; .ci/run does)");
    }
    Assumptions.assumeTrue(
        installed,
        CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " are needed: apt-get install chromium chromium-driver");
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void theChartsFillWhileThePipelineRuns() throws Exception {
    MillraceConfig config =
        MillraceConfig.of(
            SmallPipeline.settings(
                Map.ofEntries(
                    Map.entry(MillraceConfig.DATA_DIR, dataDir.toString()),
                    Map.entry(MillraceConfig.BROKER_PORT, "0"),
                    Map.entry(MillraceConfig.METRICS_PORT, "-1"),
                    Map.entry(DashboardKeys.PORT, "0"),
                    Map.entry(DashboardKeys.SAMPLE_TOKENS, "60"),
                    Map.entry(TokenizeKeys.VALIDATION_FRACTION, "0.05"),
                    Map.entry(TrainerKeys.EVAL_INTERVAL_STEPS, "10"),
                    Map.entry(TrainerKeys.CHECKPOINT_INTERVAL_STEPS, "10"),
                    Map.entry(TrainerKeys.CHECKPOINT_KEEP, "10"),
                    Map.entry(TrainerKeys.MAX_STEPS, String.valueOf(STEPS)))));
    pipeline = LocalPipeline.start(config, true);
    String url = pipeline.dashboardUrl().orElseThrow();

    browser = headlessChromium();
    browser.get(url);
    JavascriptExecutor page = browser;
    await("the page drew its first snapshot", () -> number(page, "window.millrace.snapshots") > 0);
    assertThat(number(page, "Chart.getChart('loss-chart').data.datasets[0].data.length"))
        .as("nothing fed, nothing trained")
        .isZero();

    // The javadoc of picocli, and a blank page for the clean stage to reject
    Files.writeString(corpus.resolve("blank.txt"), "  \n\t ");
    try (Feeder feeder = new Feeder(pipeline.config())) {
      feeder.feed(List.of(DEMO_CORPUS, corpus));
    }
    await("the trainer took its " + STEPS + " steps", pipeline::trainerDone);
    assertThat(pipeline.failure()).isEmpty();

    await(
        "the loss chart holds every step",
        () -> number(page, LOSS_CHART + ".data.datasets[0].data.length") == STEPS);
    List<Object> losses =
        list(page, "return " + LOSS_CHART + ".data.datasets[0].data.map(p => p.y)");
    List<TrainerProgress> progress =
        TopicRecords.readAll(pipeline.bootstrapServers(), Topics.of(config).progress()).stream()
            .map(r -> AvroSerde.trainerProgress().decode(r.value()))
            .toList();
    assertThat(losses)
        .as("the page draws the losses the trainer published, step by step")
        .hasSize(STEPS)
        .extracting(loss -> ((Number) loss).floatValue())
        .containsExactlyElementsOf(progress.stream().map(TrainerProgress::getLoss).toList());
    List<Long> evaluated =
        progress.stream()
            .filter(p -> p.getValidationLoss() != null)
            .map(TrainerProgress::getStep)
            .toList();
    assertThat(evaluated)
        .as("an evaluation every 10 steps, once there is validation data")
        .isNotEmpty();
    assertThat(list(page, "return " + LOSS_CHART + ".data.datasets[1].data.map(p => p.x)"))
        .extracting(step -> ((Number) step).longValue())
        .containsExactlyElementsOf(evaluated);
    assertThat(number(page, "Chart.getChart('tokens-chart').data.datasets[0].data.length"))
        .isEqualTo(STEPS);

    await(
        "the lag and throughput charts hold points for every stage",
        () ->
            number(page, "Chart.getChart('lag-chart').data.datasets.length") == 4
                && number(
                        page,
                        "Math.min(...Chart.getChart('lag-chart').data.datasets.map(d =>"
                            + " d.data.length))")
                    >= 2
                && number(
                        page,
                        "Math.min(...Chart.getChart('rate-chart').data.datasets.map(d =>"
                            + " d.data.length))")
                    >= 1);
    assertThat(list(page, "return Chart.getChart('lag-chart').data.datasets.map(d => d.label)"))
        .containsExactly("clean", "dedup", "tokenize", "train");
    assertThat(
            number(
                page,
                "Math.max(...Chart.getChart('rate-chart').data.datasets[0].data.map(p => p.y))"))
        .as("the clean stage moved through docs.raw")
        .isPositive();

    await(
        "the rejects chart counts the blank page",
        () ->
            list(page, "return Chart.getChart('rejects-chart').data.labels")
                .contains("clean · empty_text"));
    await(
        () ->
            "a sample from a checkpoint; the page says: "
                + browser.findElement(By.id("samples-note")).getText(),
        () -> !browser.findElements(By.cssSelector("#sample-list .sample")).isEmpty());
    assertThat(browser.findElement(By.cssSelector("#sample-list .sample .meta")).getText())
        .contains("step-0000000");
    assertThat(browser.findElement(By.cssSelector("#sample-list .sample .prompt")).getText())
        .isEqualTo(CheckpointSampler.PROMPT);
    Map<?, ?> sample = (Map<?, ?>) list(page, SAMPLES_FROM_THE_API).get(0);
    assertThat(generate(config, sample.get("checkpoint").toString()))
        .as("the sample is what millrace generate writes from that checkpoint and prompt")
        .isEqualTo(CheckpointSampler.PROMPT + sample.get("text") + System.lineSeparator());
    // the header comes from the status report, read every few seconds
    await(
        "the header shows the trainer's last step",
        () -> browser.findElement(By.id("step")).getText().equals(String.valueOf(STEPS)));

    Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(screenshot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    System.err.println("DashboardIT: screenshot at " + SCREENSHOT.toAbsolutePath());
    assertThat(Files.size(SCREENSHOT)).isPositive();
  }

  /** The samples as the page's API serves them, fetched by the page itself. */
  private static final String SAMPLES_FROM_THE_API =
      "const request = new XMLHttpRequest();"
          + " request.open('GET', 'api/dashboard', false); request.send();"
          + " return JSON.parse(request.responseText).samples;";

  /** {@code millrace generate --checkpoint ... --prompt 'The '} with its default sampling. */
  private String generate(MillraceConfig config, String checkpoint) {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine command = Millrace.commandLine();
    command.setOut(new java.io.PrintWriter(out));
    int exit =
        command.execute(
            "generate",
            "--set",
            MillraceConfig.DATA_DIR + "=" + dataDir,
            "--checkpoint",
            dataDir.resolve("checkpoints/default").resolve(checkpoint).toString(),
            "--prompt",
            CheckpointSampler.PROMPT,
            "--max-tokens",
            String.valueOf(config.getInt(DashboardKeys.SAMPLE_TOKENS)));
    assertThat(exit).isZero();
    return out.toString();
  }

  /**
   * Debian's Chromium through Debian's chromedriver, both named explicitly: Selenium Manager, which
   * would download a browser or driver, is never asked.
   */
  private static ChromeDriver headlessChromium() {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // tests may run as root, in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1600");
    return new ChromeDriver(service, options);
  }

  private static double number(JavascriptExecutor page, String expression) {
    Object value = page.executeScript("return " + expression);
    return value == null ? 0 : ((Number) value).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(JavascriptExecutor page, String script) {
    return (List<Object>) page.executeScript(script);
  }

  private void await(String what, java.util.function.BooleanSupplier condition) {
    await(() -> what, condition);
  }

  private void await(
      java.util.function.Supplier<String> what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, Duration.ofMinutes(2), Duration.ofMillis(500))
        .withMessage(what)
        .ignoring(JavascriptException.class)
        .until(driver -> condition.getAsBoolean());
  }
}
