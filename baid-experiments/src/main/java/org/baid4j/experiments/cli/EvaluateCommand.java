package org.baid4j.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.experiments.Baid;
import org.baid4j.experiments.training.Predictions;
import org.baid4j.weights.SaanModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code baid evaluate}: a model on a BAID split, with the reference's metrics and honest company. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on a BAID split: SRCC, PLCC, accuracy at 5 with the majority-class baseline",
                "and balanced accuracy, MAE, RMSE, bootstrap 95% intervals. Writes OUT/result.csv and OUT/summary.json."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A SAAN checkpoint (.pth) or DL4J model file.")
    Path model;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The BAID root.")
    Path root;

    @Option(names = "--split", defaultValue = "test", description = "train, val or test (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", paramLabel = "DIR", description = "Where result.csv and summary.json go (default: evaluation-SPLIT).")
    Path out;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--input-size", defaultValue = "224", description = "Input side for a .pth model (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--subset", defaultValue = "1.0", description = "A stratified subset of the split (default: all).")
    String subset;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the subset and the bootstrap (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples (default ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--skip-missing", description = "Evaluate on the images present; say how many were left out.")
    boolean skipMissing;

    @Option(names = "--threads", description = "Decoding threads (default: the number of cores).")
    Integer threads;

    public static void main(String... args) {
        System.exit(Baid.execute(ScoreCommand.prepend("evaluate", args)));
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        BaidSplit s = BaidSplit.parse(split);
        BaidRoot baid = BaidRoot.open(root);
        BaidRoot.ValidatedSplit checked = baid.validate(s, SubsetSpec.parse(subset), seed, skipMissing);
        if (!checked.leftOut().isEmpty()) {
            System.err.printf("%d missing or broken images left out (--skip-missing)%n", checked.leftOut().size());
        }
        List<BaidLabel> labels = checked.usable();
        SaanModelFiles.Opened opened = SaanModelFiles.open(model, inputSize);
        Path outDir = out != null ? out : Path.of("evaluation-" + s.label());
        Files.createDirectories(outDir);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        double[] predicted;
        try (Progress progress = Progress.start("evaluating " + s.label(), labels.size())) {
            predicted = Predictions.of(opened.model(), labels, new FileImages(baid.imagesDir(), opened.model().inputSize()),
                    batch, n, progress::step);
        }
        double[] truth = labels.stream().mapToDouble(BaidLabel::score).toArray();
        AestheticsMetrics.Summary m = AestheticsMetrics.evaluate(truth, predicted, bootstrap, seed);

        StringBuilder csv = new StringBuilder("image,score,prediction\n");
        for (int i = 0; i < labels.size(); i++) {
            csv.append(labels.get(i).image()).append(',').append(labels.get(i).score()).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", predicted[i])).append('\n');
        }
        Files.writeString(outDir.resolve("result.csv"), csv);
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
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(outDir.resolve("summary.json").toFile(), summary);
        System.out.printf(Locale.ROOT, "%s split, %d images: SRCC %.4f [%.4f, %.4f], PLCC %.4f [%.4f, %.4f], accuracy %.2f%%"
                        + " (majority baseline %.2f%%, balanced %.2f%%), MAE %.3f, RMSE %.3f%nwrote %s and %s%n",
                s.label(), m.n(), m.srcc(), m.srccCi()[0], m.srccCi()[1], m.plcc(), m.plccCi()[0], m.plccCi()[1],
                100 * m.accuracy(), 100 * m.majorityBaselineAccuracy(), 100 * m.balancedAccuracy(), m.mae(), m.rmse(),
                outDir.resolve("result.csv"), outDir.resolve("summary.json"));
        return 0;
    }
}
