package org.baid4j.training.saan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.baid4j.core.io.OutputFile;
import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.core.model.AestheticsModel;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.pipeline.ResizedImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model on a split: predictions, the metrics, and the two files the reference and the reproduction
 * write: result.csv (the split's rows plus a prediction column) and summary.json.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** The metrics with the scores they come from (for plots). */
    public record Outcome(AestheticsMetrics.Summary summary, double[] truth, double[] predicted) {
    }

    public static Outcome run(AestheticsModel model, List<BaidLabel> labels, ResizedImages images, int batch,
                                                int threads, int bootstrap, long seed, Path outDir, Runnable progress)
            throws IOException {
        double[] predicted = Predictions.of(model, labels, images, batch, threads, progress);
        double[] truth = labels.stream().mapToDouble(BaidLabel::score).toArray();
        AestheticsMetrics.Summary m = AestheticsMetrics.evaluate(truth, predicted, bootstrap, seed);
        Files.createDirectories(outDir);
        StringBuilder csv = new StringBuilder("image,score,prediction\n");
        for (int i = 0; i < labels.size(); i++) {
            csv.append(labels.get(i).image()).append(',').append(labels.get(i).score()).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", predicted[i])).append('\n');
        }
        OutputFile.writeString(outDir.resolve("result.csv"), csv);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("n", m.n());
        summary.put("srcc", m.srcc());
        summary.put("plcc", m.plcc());
        summary.put("accuracy", m.accuracy());
        summary.put("balanced_accuracy", m.balancedAccuracy());
        summary.put("majority_baseline_accuracy", m.majorityBaselineAccuracy());
        summary.put("mae", m.mae());
        summary.put("rmse", m.rmse());
        summary.put("srcc_ci", m.srccCi());
        summary.put("plcc_ci", m.plccCi());
        OutputFile.write(outDir.resolve("summary.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(summary));
        return new Outcome(m, truth, predicted);
    }

    /** One line for a terminal. */
    public static String line(String split, AestheticsMetrics.Summary m) {
        return String.format(Locale.ROOT, "%s split, %d images: SRCC %.4f [%.4f, %.4f], PLCC %.4f [%.4f, %.4f], accuracy"
                        + " %.2f%% (majority baseline %.2f%%, balanced %.2f%%), MAE %.3f, RMSE %.3f", split, m.n(), m.srcc(),
                m.srccCi()[0], m.srccCi()[1], m.plcc(), m.plccCi()[0], m.plccCi()[1], 100 * m.accuracy(),
                100 * m.majorityBaselineAccuracy(), 100 * m.balancedAccuracy(), m.mae(), m.rmse());
    }

    /** The Markdown table of the reproduction study's format, with the baseline beside the accuracy. */
    public static String table(String label, AestheticsMetrics.Summary m) {
        return "| run | n | SRCC | PLCC | Acc | majority baseline | balanced acc | MAE | RMSE |\n"
                + "|---|---|---|---|---|---|---|---|---|\n"
                + String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.2f%% | %.2f%% | %.2f%% | %.3f | %.3f |%n", label,
                m.n(), m.srcc(), m.plcc(), 100 * m.accuracy(), 100 * m.majorityBaselineAccuracy(),
                100 * m.balancedAccuracy(), m.mae(), m.rmse());
    }
}
