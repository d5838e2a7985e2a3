package org.millrace.cli.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The runs and the fitted law, drawn as Hoffmann et al.'s figure 4 (left) reads: loss against
 * training tokens on log-log axes, one colour per model size, its runs as dots and the law's curve
 * for that size as a line. Written as PNG (JFreeChart) and SVG (text, written here: the dashboard
 * shows it, and it diffs in a repository).
 */
public final class ScalingLawPlot {

  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;
  private static final int CURVE_POINTS = 60;
  private static final Color[] COLOURS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
  };

  private final List<ScalingRun> runs;
  private final ScalingLaw law;
  private final TreeMap<Double, List<ScalingRun>> bySize = new TreeMap<>();
  private final double minTokens;
  private final double maxTokens;

  public ScalingLawPlot(List<ScalingRun> runs, ScalingLaw law) {
    this.runs = runs;
    this.law = law;
    for (ScalingRun run : runs) {
      bySize.computeIfAbsent(run.params(), size -> new ArrayList<>()).add(run);
    }
    minTokens = runs.stream().mapToDouble(ScalingRun::tokens).min().orElseThrow() / 1.5;
    maxTokens = runs.stream().mapToDouble(ScalingRun::tokens).max().orElseThrow() * 1.5;
  }

  /** Writes {@code prefix.png} and {@code prefix.svg}; returns the two files. */
  public List<Path> write(Path prefix) throws IOException {
    Path png = prefix.resolveSibling(prefix.getFileName() + ".png");
    Path svg = prefix.resolveSibling(prefix.getFileName() + ".svg");
    if (prefix.toAbsolutePath().getParent() != null) {
      Files.createDirectories(prefix.toAbsolutePath().getParent());
    }
    ChartUtils.saveChartAsPNG(png.toFile(), chart(), WIDTH, HEIGHT);
    Files.writeString(svg, svg(), StandardCharsets.UTF_8);
    return List.of(png, svg);
  }

  private String title() {
    return String.format(
        Locale.ROOT,
        "L(N, D) = %.3g + %.4g/N^%.3f + %.4g/D^%.3f",
        law.e(),
        law.a(),
        law.alpha(),
        law.b(),
        law.beta());
  }

  private static String sizeLabel(double params) {
    return String.format(Locale.ROOT, "N = %,.0f", params);
  }

  /** The law's loss for a model of {@code params} at {@code CURVE_POINTS} token counts. */
  private double[][] curve(double params) {
    double[][] points = new double[CURVE_POINTS][2];
    for (int i = 0; i < CURVE_POINTS; i++) {
      double tokens = minTokens * Math.pow(maxTokens / minTokens, i / (double) (CURVE_POINTS - 1));
      points[i][0] = tokens;
      points[i][1] = law.loss(params, tokens);
    }
    return points;
  }

  private JFreeChart chart() {
    XYSeriesCollection dots = new XYSeriesCollection();
    XYSeriesCollection curves = new XYSeriesCollection();
    for (var size : bySize.entrySet()) {
      XYSeries runsOfSize = new XYSeries(sizeLabel(size.getKey()), false, true);
      size.getValue().forEach(run -> runsOfSize.add(run.tokens(), run.loss()));
      dots.addSeries(runsOfSize);
      XYSeries fitted = new XYSeries("fit " + sizeLabel(size.getKey()), false, true);
      for (double[] point : curve(size.getKey())) {
        fitted.add(point[0], point[1]);
      }
      curves.addSeries(fitted);
    }
    LogAxis tokens = new LogAxis("training tokens D");
    LogAxis loss = new LogAxis("validation loss (nats/token)");
    loss.setAutoRange(true);
    // values, not powers of ten: the loss spans less than a decade
    tokens.setNumberFormatOverride(new DecimalFormat("#,##0"));
    loss.setNumberFormatOverride(new DecimalFormat("0.000"));
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(tokens);
    plot.setRangeAxis(loss);
    XYLineAndShapeRenderer dotRenderer = new XYLineAndShapeRenderer(false, true);
    XYLineAndShapeRenderer curveRenderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < bySize.size(); i++) {
      Color colour = COLOURS[i % COLOURS.length];
      dotRenderer.setSeriesPaint(i, colour);
      curveRenderer.setSeriesPaint(i, colour);
      curveRenderer.setSeriesStroke(i, new BasicStroke(1.5f));
      curveRenderer.setSeriesVisibleInLegend(i, false);
    }
    plot.setDataset(0, dots);
    plot.setRenderer(0, dotRenderer);
    plot.setDataset(1, curves);
    plot.setRenderer(1, curveRenderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** The same figure in SVG, drawn on log scales by hand. */
  String svg() {
    int left = 80;
    int right = 170;
    int top = 40;
    int bottom = 60;
    double plotWidth = WIDTH - left - right;
    double plotHeight = HEIGHT - top - bottom;
    double minLoss = Double.MAX_VALUE;
    double maxLoss = 0;
    for (ScalingRun run : runs) {
      minLoss = Math.min(minLoss, run.loss());
      maxLoss = Math.max(maxLoss, run.loss());
    }
    for (double params : bySize.keySet()) {
      for (double[] point : curve(params)) {
        minLoss = Math.min(minLoss, point[1]);
        maxLoss = Math.max(maxLoss, point[1]);
      }
    }
    double lowLoss = Math.log(minLoss / 1.02);
    double highLoss = Math.log(maxLoss * 1.02);
    double lowTokens = Math.log(minTokens);
    double highTokens = Math.log(maxTokens);
    java.util.function.DoubleUnaryOperator x =
        tokens -> left + (Math.log(tokens) - lowTokens) / (highTokens - lowTokens) * plotWidth;
    java.util.function.DoubleUnaryOperator y =
        loss -> top + (highLoss - Math.log(loss)) / (highLoss - lowLoss) * plotHeight;

    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">%s</text>%n",
            left + (int) plotWidth / 2,
            title()));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\""
                + " stroke=\"black\"/>%n",
            left,
            top,
            plotWidth,
            plotHeight));
    // ticks: 1, 2, 5 times powers of ten on the token axis; ten ticks on the loss axis
    for (int power = (int) Math.floor(Math.log10(minTokens));
        power <= Math.ceil(Math.log10(maxTokens));
        power++) {
      for (int mantissa : new int[] {1, 2, 5}) {
        double tokens = mantissa * Math.pow(10, power);
        if (tokens < minTokens || tokens > maxTokens) {
          continue;
        }
        double at = x.applyAsDouble(tokens);
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                at,
                top,
                at,
                top + plotHeight,
                at,
                top + plotHeight + 16,
                mantissa + "e" + power));
      }
    }
    for (int i = 0; i <= 8; i++) {
      double loss = Math.exp(lowLoss + (highLoss - lowLoss) * i / 8);
      double at = y.applyAsDouble(loss);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n",
              left,
              at,
              left + plotWidth,
              at,
              left - 6,
              at + 4,
              loss));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">training tokens D</text>%n",
            left + (int) plotWidth / 2,
            HEIGHT - 16));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">"
                + "validation loss (nats/token)</text>%n",
            top + (int) plotHeight / 2,
            top + (int) plotHeight / 2));
    int index = 0;
    for (var size : bySize.entrySet()) {
      String colour = String.format("#%06x", COLOURS[index % COLOURS.length].getRGB() & 0xffffff);
      StringBuilder points = new StringBuilder();
      for (double[] point : curve(size.getKey())) {
        points.append(
            String.format(
                Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(point[0]), y.applyAsDouble(point[1])));
      }
      svg.append(
          String.format(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
              colour, points.toString().strip()));
      for (ScalingRun run : size.getValue()) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
                x.applyAsDouble(run.tokens()),
                y.applyAsDouble(run.loss()),
                colour));
      }
      int legendY = top + 12 + 18 * index;
      svg.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"%s\"/><text x=\"%.1f\""
                  + " y=\"%d\">%s</text>%n",
              left + plotWidth + 14,
              legendY - 4,
              colour,
              left + plotWidth + 24,
              legendY,
              sizeLabel(size.getKey())));
      index++;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }
}
