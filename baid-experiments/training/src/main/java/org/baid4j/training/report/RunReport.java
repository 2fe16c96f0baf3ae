package org.baid4j.training.report;

import org.baid4j.core.io.OutputFile;
import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.training.engine.EpochMetrics;
import org.baid4j.training.saan.Evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A run's report.md: the plots ({@link RunPlots}) and the tables, in the run folder. Training writes
 * the per-epoch part; an evaluation adds the split's distribution, scatter and metrics.
 */
public final class RunReport {
    private RunReport() {
    }

    /** Writes plots/ and report.md in {@code runDir}; {@code test} may be null (no evaluation yet). */
    public static Path write(Path runDir, String title, List<EpochMetrics> epochs, EvaluatedSplit test) throws IOException {
        Path plots = runDir.resolve("plots");
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        if (!epochs.isEmpty()) {
            RunPlots.losses(epochs, plots.resolve("loss.png"));
            RunPlots.validation(epochs, plots.resolve("validation.png"));
            md.append("## Training\n\n![loss per epoch](plots/loss.png)\n\n![validation metrics](plots/validation.png)\n\n");
            List<String> metrics = List.copyOf(epochs.get(0).validation().keySet());
            md.append("| epoch | train loss | ").append(String.join(" | ", metrics)).append(" | lr | seconds | images/s |\n");
            md.append("|---|---|").append("---|".repeat(metrics.size())).append("---|---|---|\n");
            for (EpochMetrics m : epochs) {
                md.append(String.format(Locale.ROOT, "| %d | %.5f | ", m.epoch(), m.trainLoss()));
                for (String name : metrics) {
                    md.append(fmt(m.metric(name))).append(" | ");
                }
                md.append(String.format(Locale.ROOT, "%.1e | %.1f | %.2f |%n", m.learningRate(), m.seconds(),
                        m.imagesPerSecond()));
            }
            md.append('\n');
        }
        if (test != null) {
            RunPlots.scoreDistribution(test.truth(), test.predicted(), test.split(), plots.resolve("scores-" + test.split() + ".png"));
            RunPlots.predictedAgainstTrue(test.truth(), test.predicted(), test.split(),
                    plots.resolve("predicted-" + test.split() + ".png"));
            md.append("## Evaluation, ").append(test.split()).append(" split\n\n");
            md.append(Evaluation.table(test.label(), test.summary())).append('\n');
            md.append(String.format(Locale.ROOT, "SRCC 95%% interval [%.4f, %.4f], PLCC [%.4f, %.4f] (bootstrap).%n%n",
                    test.summary().srccCi()[0], test.summary().srccCi()[1], test.summary().plccCi()[0],
                    test.summary().plccCi()[1]));
            md.append("![score distribution](plots/scores-").append(test.split()).append(".png)\n\n");
            md.append("![predicted against true](plots/predicted-").append(test.split()).append(".png)\n\n");
            md.append("Files: `summary.json`, `result.csv`.\n");
        }
        Path report = runDir.resolve("report.md");
        OutputFile.writeString(report, md);
        return report;
    }

    /** Adds a section (Markdown) to the end of the run's report.md. */
    public static void append(Path runDir, String section) throws IOException {
        Path report = runDir.resolve("report.md");
        String before = Files.exists(report) ? Files.readString(report) : "";
        String joined = before + (before.endsWith("\n\n") || before.isEmpty() ? "" : "\n") + section;
        OutputFile.writeString(report, joined);
    }

    /** An evaluated split, for the report. */
    public record EvaluatedSplit(String split, String label, double[] truth, double[] predicted,
                                 AestheticsMetrics.Summary summary) {
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
