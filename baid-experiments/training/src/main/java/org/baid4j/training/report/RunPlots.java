package org.baid4j.training.report;

import org.baid4j.core.io.OutputFile;
import org.baid4j.training.engine.EpochMetrics;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PNG plots of a run (JFreeChart, headless): losses and validation metrics per epoch, scores, predictions. */
public final class RunPlots {
    private static final String VAL_LOSS = "val_loss";

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private RunPlots() {
    }

    /** The training loss per epoch, with the validation loss ({@code val_loss}) where the task has one. */
    public static void losses(List<EpochMetrics> epochs, Path png) throws IOException {
        XYSeries train = new XYSeries("train loss");
        XYSeries val = new XYSeries("validation loss");
        for (EpochMetrics m : epochs) {
            if (Double.isFinite(m.trainLoss())) {
                train.add(m.epoch(), m.trainLoss());
            }
            if (Double.isFinite(m.metric(VAL_LOSS))) {
                val.add(m.epoch(), m.metric(VAL_LOSS));
            }
        }
        save(lines("Loss per epoch", "epoch", "loss", train, val), png);
    }

    /** Every metric but the losses (the validation metrics, the task's training metrics), where finite. */
    public static void validation(List<EpochMetrics> epochs, Path png) throws IOException {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (EpochMetrics m : epochs) {
            m.validation().forEach((name, value) -> {
                if (!name.equals(VAL_LOSS) && Double.isFinite(value)) {
                    series.computeIfAbsent(name, RunPlots::seriesName).add(m.epoch(), value);
                }
            });
        }
        save(lines("Metrics per epoch", "epoch", "value", series.values().toArray(new XYSeries[0])), png);
    }

    private static XYSeries seriesName(String metric) {
        return new XYSeries(metric.replace("val_", "validation ").replace("train_", "training ").replace('_', ' ')
                .replace("srcc", "SRCC").replace("plcc", "PLCC"));
    }

    /** Histogram of scores without labels to compare with (a folder scored with {@code baid score}). */
    public static void scores(double[] scores, String title, Path png) throws IOException {
        HistogramDataset data = new HistogramDataset();
        data.addSeries("scores", scores, 40, 0, 10);
        save(ChartFactory.createHistogram(title, "score", "images", data, PlotOrientation.VERTICAL, false, false, false),
                png);
    }

    /** Histogram of the split's true scores, with the predictions beside them. */
    public static void scoreDistribution(double[] truth, double[] predicted, String split, Path png) throws IOException {
        HistogramDataset data = new HistogramDataset();
        data.addSeries("true scores (" + split + ")", truth, 40, 0, 10);
        data.addSeries("predicted scores", predicted, 40, 0, 10);
        JFreeChart chart = ChartFactory.createHistogram("Score distribution, " + split + " split", "score", "images",
                data, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setForegroundAlpha(0.6f);
        save(chart, png);
    }

    public static void predictedAgainstTrue(double[] truth, double[] predicted, String split, Path png) throws IOException {
        XYSeries points = new XYSeries("images");
        XYSeries diagonal = new XYSeries("prediction = truth");
        for (int i = 0; i < truth.length; i++) {
            points.add(truth[i], predicted[i]);
        }
        diagonal.add(0, 0);
        diagonal.add(10, 10);
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(points);
        data.addSeries(diagonal);
        JFreeChart chart = ChartFactory.createScatterPlot("Predicted against true scores, " + split + " split",
                "true score", "predicted score", data, PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(1, false);
        r.setSeriesPaint(1, Color.GRAY);
        chart.getXYPlot().setRenderer(r);
        chart.getXYPlot().getDomainAxis().setRange(0, 10);
        chart.getXYPlot().getRangeAxis().setRange(0, 10);
        save(chart, png);
    }

    private static JFreeChart lines(String title, String x, String y, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        plot.setRenderer(r);
        return chart;
    }

    private static void save(JFreeChart chart, Path png) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        OutputFile.write(png, tmp -> ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 800, 500));
    }
}
