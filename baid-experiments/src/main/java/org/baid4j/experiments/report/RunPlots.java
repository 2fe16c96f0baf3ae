package org.baid4j.experiments.report;

import org.baid4j.experiments.training.EpochMetrics;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** PNG plots of a run (JFreeChart, headless): losses and validation metrics per epoch, scores, predictions. */
public final class RunPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private RunPlots() {
    }

    public static void losses(List<EpochMetrics> epochs, Path png) throws IOException {
        XYSeries train = new XYSeries("train loss (MSE on score / 10)");
        XYSeries val = new XYSeries("validation loss");
        for (EpochMetrics m : epochs) {
            train.add(m.epoch(), m.trainLoss());
            if (m.validated()) {
                val.add(m.epoch(), m.valLoss());
            }
        }
        save(lines("Loss per epoch", "epoch", "MSE", train, val), png);
    }

    public static void validation(List<EpochMetrics> epochs, Path png) throws IOException {
        XYSeries srcc = new XYSeries("validation SRCC");
        XYSeries plcc = new XYSeries("validation PLCC");
        for (EpochMetrics m : epochs) {
            if (m.validated()) {
                srcc.add(m.epoch(), m.valSrcc());
                plcc.add(m.epoch(), m.valPlcc());
            }
        }
        save(lines("Validation metrics per epoch", "epoch", "correlation", srcc, plcc), png);
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
        Files.createDirectories(png.getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 500);
    }
}
