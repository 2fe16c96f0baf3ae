package org.baid4j.studies.sweep;

import org.baid4j.core.io.OutputFile;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** PNG plots of a hyperparameter sweep: the objective per trial, each parameter against it, importances. */
public final class SweepPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private SweepPlots() {
    }

    /** Each trial's objective (NaN: failed, left out) and the best so far. */
    public static void objectivePerTrial(double[] objective, boolean minimize, String label, Path png) throws IOException {
        XYSeries trials = new XYSeries("trial");
        XYSeries best = new XYSeries("best so far");
        double b = Double.NaN;
        for (int t = 0; t < objective.length; t++) {
            if (Double.isNaN(objective[t])) {
                continue;
            }
            trials.add(t, objective[t]);
            if (Double.isNaN(b) || (minimize ? objective[t] < b : objective[t] > b)) {
                b = objective[t];
            }
            best.add(t, b);
        }
        XYSeriesCollection data = new XYSeriesCollection(trials);
        data.addSeries(best);
        JFreeChart chart = ChartFactory.createXYLineChart("Objective per trial", "trial", label, data,
                PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(1, false);
        chart.getXYPlot().setRenderer(r);
        save(chart, png, 800, 450);
    }

    /** One parameter's values against the objective; categorical values ({@code categories} non-null) by name. */
    public static void parameterAgainstObjective(String parameter, double[] values, List<String> categories, double[] objective,
                                                 String label, boolean log, Path png) throws IOException {
        XYSeries points = new XYSeries("trials");
        for (int t = 0; t < values.length; t++) {
            if (!Double.isNaN(objective[t])) {
                points.add(values[t], objective[t]);
            }
        }
        JFreeChart chart = ChartFactory.createScatterPlot(parameter + " against the objective", parameter, label,
                new XYSeriesCollection(points), PlotOrientation.VERTICAL, false, false, false);
        if (categories != null) {
            chart.getXYPlot().setDomainAxis(new SymbolAxis(parameter, categories.toArray(new String[0])));
        } else if (log) {
            chart.getXYPlot().setDomainAxis(new org.jfree.chart.axis.LogAxis(parameter + " (log scale)"));
        }
        save(chart, png, 600, 400);
    }

    /** Importances as bars, in the order given. */
    public static void importances(Map<String, Double> importance, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        importance.forEach((name, v) -> data.addValue(v, "importance", name));
        JFreeChart chart = ChartFactory.createBarChart("Parameter importance", "parameter", "share of explained variance",
                data, PlotOrientation.HORIZONTAL, false, false, false);
        save(chart, png, 600, 300);
    }

    private static void save(JFreeChart chart, Path png, int width, int height) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        OutputFile.write(png, tmp -> ChartUtils.saveChartAsPNG(tmp.toFile(), chart, width, height));
    }
}
