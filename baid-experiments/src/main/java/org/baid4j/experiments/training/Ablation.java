package org.baid4j.experiments.training;

import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.pipeline.FileImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reproduction study's ablation: full SAAN, without GAB and without SAB trained under the same
 * settings and seeds, each evaluated on the test split, then a Markdown table of mean and spread
 * over seeds. Each run has its own folder under the ablation's; an interrupted ablation picks up
 * where it stopped (finished runs are reused, an unfinished one resumed).
 */
public final class Ablation {
    /** One trained and evaluated run. */
    public record Run(SaanVariant variant, long seed, Path dir, AestheticsMetrics.Summary test) {
    }

    private Ablation() {
    }

    /** {@code base} gives every setting but the variant and the seed. */
    public static List<Run> run(TrainingConfig base, Path outDir, int seeds, Trainer.Listener listener) throws IOException {
        List<Run> runs = new ArrayList<>();
        BaidRoot root = BaidRoot.open(Path.of(base.root()));
        // Every run is evaluated on the same test images: validate them once.
        List<org.baid4j.data.baid.BaidLabel> testLabels = root.validate(BaidSplit.TEST,
                org.baid4j.data.baid.SubsetSpec.parse(base.subset()), base.seed(), base.skipMissing()).usable();
        for (SaanVariant variant : SaanVariant.values()) {
            for (int k = 0; k < seeds; k++) {
                long seed = base.seed() + k;
                TrainingConfig config = new TrainingConfig(base.root(), variant.label(), base.inputSize(),
                        base.learningRate(), base.weightDecay(), base.dropout(), base.headActivation(), base.epochs(),
                        base.batch(), seed, base.subset(), null, base.pretrained(), base.resnet(), base.vgg(),
                        base.randomBackbones(), base.skipMissing(), base.threads(), base.useCache(), base.validateEvery(),
                        base.checkpointEvery());
                Path dir = outDir.resolve(variant.label() + "-seed" + seed);
                RunDirectory existing = new RunDirectory(dir);
                TrainingResult trained;
                if (!Files.exists(existing.config())) {
                    trained = Trainer.train(config, dir, listener);
                } else if (existing.readMetrics().size() < config.epochs()) {
                    trained = Trainer.resume(dir, listener);
                } else {
                    trained = null;   // finished earlier
                }
                Path best = trained != null ? trained.bestModel() : existing.best();
                AestheticsMetrics.Summary test = Evaluation.run(SaanModel.load(best.toFile()),
                        testLabels,
                        new FileImages(root.imagesDir(), base.inputSize()), base.batch(), base.threads(), 1000, seed,
                        dir.resolve("test"), () -> { }).summary();
                runs.add(new Run(variant, seed, dir, test));
            }
        }
        Files.writeString(outDir.resolve("ablation.md"), table(runs, base));
        return runs;
    }

    /** Mean ± standard deviation over seeds, per variant, in the reproduction study's columns. */
    public static String table(List<Run> runs, TrainingConfig base) {
        Map<SaanVariant, List<AestheticsMetrics.Summary>> byVariant = new LinkedHashMap<>();
        for (Run r : runs) {
            byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r.test());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Ablation on the test split: %d epochs, lr %.0e, batch %d, input %d, subset %s,"
                        + " seeds from %d (mean ± std over seeds).%n%n", base.epochs(), base.learningRate(), base.batch(),
                base.inputSize(), base.subset(), base.seed()));
        sb.append("| run | SRCC | PLCC | Acc | majority baseline | balanced acc | seeds |\n|---|---|---|---|---|---|---|\n");
        byVariant.forEach((variant, list) -> sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d |%n",
                variant.label(), meanStd(list, AestheticsMetrics.Summary::srcc, 1, "%.3f"),
                meanStd(list, AestheticsMetrics.Summary::plcc, 1, "%.3f"),
                meanStd(list, AestheticsMetrics.Summary::accuracy, 100, "%.2f%%"),
                meanStd(list, AestheticsMetrics.Summary::majorityBaselineAccuracy, 100, "%.2f%%"),
                meanStd(list, AestheticsMetrics.Summary::balancedAccuracy, 100, "%.2f%%"), list.size())));
        return sb.toString();
    }

    private static String meanStd(List<AestheticsMetrics.Summary> list,
                                  java.util.function.ToDoubleFunction<AestheticsMetrics.Summary> f, double scale,
                                  String format) {
        double[] v = list.stream().mapToDouble(f).map(x -> x * scale).toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1);
        String m = String.format(Locale.ROOT, format, mean);
        return v.length > 1 ? m + " ± " + String.format(Locale.ROOT, format, Math.sqrt(var)) : m;
    }
}
