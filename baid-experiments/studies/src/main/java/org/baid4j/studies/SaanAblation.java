package org.baid4j.studies;

import org.baid4j.core.io.FolderKind;

import org.baid4j.core.io.FolderLock;
import org.baid4j.core.io.OutputFile;
import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.TrainingEngine;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.report.ReportListener;
import org.baid4j.training.saan.BaidSplits;
import org.baid4j.training.saan.Evaluation;
import org.baid4j.training.saan.SaanTraining;
import org.baid4j.training.saan.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The reproduction study's ablation: full SAAN, without GAB and without SAB trained under the same
 * settings and seeds, each evaluated on the test split, then a Markdown table of mean and spread
 * over seeds. Each run has its own folder under the ablation's; an interrupted ablation picks up
 * where it stopped (finished runs are reused, an unfinished one resumed). Run it from an IDE or as
 * {@code baid ablation}.
 */
public final class SaanAblation {
    /** The study's run length and seeds. */
    public static final int EPOCHS = 10;
    public static final int SEEDS = 3;

    /** One trained and evaluated run of an arm; {@code variant} is read back from the run's best model. */
    public record Run(String arm, SaanVariant variant, long seed, Path dir, AestheticsMetrics.Summary test) {
    }

    /**
     * One row of the ablation: a name, the folder-name slug of its runs, and how it changes the base
     * configuration (the variant, the backbones).
     */
    public record Arm(String name, String slug, UnaryOperator<TrainingConfig> setup) {
        /** A variant with the base's backbones: full, without GAB, without SAB. */
        public static Arm variant(SaanVariant variant) {
            return new Arm(variant.label(), variant.label(), c -> c.toBuilder().optVariant(variant).optFrom(null).build());
        }

        /** The three variants, the reproduction study's rows. */
        public static List<Arm> variants() {
            return Arrays.stream(SaanVariant.values()).map(Arm::variant).toList();
        }

        /**
         * Full SAAN with GAB and SAB's ResNet from a pretraining checkpoint (baid4j's best.zip or the
         * authors' epoch_99.pth), the base's VGG.
         */
        public static Arm pretrainedGab(Path checkpoint) {
            return new Arm("full, GAB pretrained", "full-gab-pretrained", c -> c.toBuilder().optVariant(SaanVariant.FULL)
                    .optFrom(null).optPretrained(checkpoint.toAbsolutePath().toString()).optResNet(null)
                    .optRandomBackbones(c.model().weights().vgg() == null).build());
        }

        /**
         * Full SAAN with a random GAB and SAB ResNet, the base's VGG: what the reference's public code
         * trains, since its checkpoint loading matches no name.
         */
        public static Arm randomGab() {
            return new Arm("full, GAB random", "full-gab-random", c -> c.toBuilder().optVariant(SaanVariant.FULL)
                    .optFrom(null).optPretrained(null).optResNet(null)
                    .optRandomBackbones(c.model().weights().vgg() == null).build());
        }
    }

    private SaanAblation() {
    }

    public static void main(String[] args) throws IOException {
        // The study's settings: the reference's, EPOCHS a run, SEEDS seeds, ImageNet backbones; each
        // can be set with -Dbaid.NAME=... (without backbone files the runs use random ones).
        String root = System.getProperty("baid.root", System.getProperty("user.home") + "/baid");
        Path out = Path.of(System.getProperty("baid.out", "runs/ablation"));
        int seeds = Integer.getInteger("baid.seeds", SEEDS);

        TrainingConfig reference = SaanRetraining.studyConfig(root, System.getProperty("baid.resnet"),
                System.getProperty("baid.vgg"));
        TrainingConfig base = reference.withRun(reference.run().withEpochs(Integer.getInteger("baid.epochs", EPOCHS)));
        run(base, out, seeds);
        System.out.print(Files.readString(out.resolve("ablation.md")));
    }

    /** {@code base} gives every setting but the variant and the seed; the rows are the three variants. */
    public static List<Run> run(TrainingConfig base, Path outDir, int seeds, TrainingListener... listeners)
            throws IOException {
        return run(base, outDir, seeds, Arm.variants(), listeners);
    }

    /** {@code base} gives every setting but what each arm changes and the seed. */
    public static List<Run> run(TrainingConfig base, Path outDir, int seeds, List<Arm> arms, TrainingListener... listeners)
            throws IOException {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        }
        FolderKind.refuseOther(outDir, FolderKind.ABLATION, "--out");
        TrainingConfig.Data d = base.data();
        BaidRoot root = BaidRoot.open(Path.of(d.root()));
        // Every run trains on the same splits and is evaluated on the same test images: validate them once.
        List<BaidLabel> testLabels = root.validate(BaidSplit.TEST, SubsetSpec.parse(d.subset()), base.run().seed(),
                d.skipMissing()).usable();
        List<Run> runs = new ArrayList<>();
        try (FolderLock lock = FolderLock.acquire(outDir);
             BaidSplits splits = BaidSplits.open(base)) {
            for (Arm arm : arms) {
                for (int k = 0; k < seeds; k++) {
                    long seed = base.run().seed() + k;
                    TrainingConfig config = arm.setup().apply(base).withRun(base.run().withSeed(seed));
                    Path dir = outDir.resolve(arm.slug() + "-seed" + seed);
                    train(config, splits, dir, listeners);
                    SaanModel best = SaanModel.load(new RunDirectory(dir).best().toFile());
                    AestheticsMetrics.Summary test = Evaluation.run(best, testLabels,
                            new FileImages(root.imagesDir(), config.saanConfig().inputSize()), config.run().batch(), d.threads(), 1000,
                            seed, dir.resolve("test"), () -> { }).summary();
                    runs.add(new Run(arm.name(), best.variant(), seed, dir, test));
                }
            }
            OutputFile.writeString(outDir.resolve("ablation.md"), table(runs, base));
        }
        return runs;
    }

    /** Trains a run, resumes an unfinished one, or leaves a finished one as it is. */
    private static void train(TrainingConfig config, BaidSplits splits, Path dir, TrainingListener... listeners)
            throws IOException {
        RunDirectory existing = new RunDirectory(dir);
        TrainingEngine engine = TrainingEngine.standard(config.run(), new ReportListener("Ablation run " + dir.getFileName()))
                .with(listeners);
        try (SaanTraining task = new SaanTraining(config, splits)) {
            if (!existing.holdsRun()) {
                engine.start(task, dir);
            } else if (existing.readMetrics().size() < config.run().epochs()) {
                engine.resume(task, dir);
            }
        }
    }

    /** Mean ± standard deviation over seeds, per arm, in the reproduction study's columns. */
    public static String table(List<Run> runs, TrainingConfig base) {
        Map<String, List<AestheticsMetrics.Summary>> byVariant = new LinkedHashMap<>();
        for (Run r : runs) {
            byVariant.computeIfAbsent(r.arm(), v -> new ArrayList<>()).add(r.test());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Ablation on the test split: %d epochs, lr %.0e, batch %d, input %d, subset %s,"
                        + " seeds from %d (mean ± std over seeds).%n%n", base.run().epochs(), base.optimiser().learningRate(),
                base.run().batch(), base.saanConfig().inputSize(), base.data().subset(), base.run().seed()));
        sb.append("| run | SRCC | PLCC | Acc | majority baseline | balanced acc | seeds |\n|---|---|---|---|---|---|---|\n");
        byVariant.forEach((variant, list) -> sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d |%n",
                variant, meanStd(list, AestheticsMetrics.Summary::srcc, 1, "%.3f"),
                meanStd(list, AestheticsMetrics.Summary::plcc, 1, "%.3f"),
                meanStd(list, AestheticsMetrics.Summary::accuracy, 100, "%.2f%%"),
                meanStd(list, AestheticsMetrics.Summary::majorityBaselineAccuracy, 100, "%.2f%%"),
                meanStd(list, AestheticsMetrics.Summary::balancedAccuracy, 100, "%.2f%%"), list.size())));
        return sb.toString();
    }

    private static String meanStd(List<AestheticsMetrics.Summary> list, ToDoubleFunction<AestheticsMetrics.Summary> f,
                                  double scale, String format) {
        double[] v = list.stream().mapToDouble(f).map(x -> x * scale).toArray();
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1);
        String m = String.format(Locale.ROOT, format, mean);
        return v.length > 1 ? m + " ± " + String.format(Locale.ROOT, format, Math.sqrt(var)) : m;
    }
}
