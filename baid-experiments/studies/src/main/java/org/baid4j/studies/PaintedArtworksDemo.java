package org.baid4j.studies;

import org.baid4j.core.io.FolderKind;

import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.core.model.HeadActivation;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.studies.demo.PaintedArtworks;
import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.report.RunReport;
import org.baid4j.training.saan.Evaluation;
import org.baid4j.training.saan.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main job on an embedded default: paint a small artwork set ({@link PaintedArtworks}), train
 * SAAN on it at a reduced input size from random backbones with the reproduction study's tuned
 * head settings, evaluate the best model on held-out paintings, and leave a run folder with the
 * same files a real run has plus summary.json and result.csv of the test split. Run it from an IDE
 * or as {@code baid demo}.
 */
public final class PaintedArtworksDemo {
    /** The demo's size: small enough for 2 CPU cores in minutes. */
    public record Settings(int train, int val, int test, int side, int inputSize, int epochs, int batch, double learningRate,
                           double dropout, String headActivation, long seed, int threads) {
        public static Settings standard() {
            return new Settings(800, 100, 200, 64, 64, 3, 16, 1e-4, 0.2, "leaky-relu", 7,
                    Runtime.getRuntime().availableProcessors());
        }

        public Settings withEpochs(int e) {
            return new Settings(train, val, test, side, inputSize, e, batch, learningRate, dropout, headActivation, seed,
                    threads);
        }

        /** The training run: the reference's settings but for these. */
        TrainingConfig training(Path root) {
            return TrainingConfig.builder().setRoot(root).optThreads(threads)
                    .optInputSize(inputSize).optDropout(dropout).optHeadActivation(HeadActivation.parse(headActivation))
                    .optRandomBackbones(true)
                    .optLearningRate(learningRate)
                    .optEpochs(epochs).optBatch(batch).optSeed(seed).optIntervals(1, epochs)
                    .build();
        }
    }

    public record Result(TrainingResult training, AestheticsMetrics.Summary test, Path runDir) {
    }

    private PaintedArtworksDemo() {
    }

    public static void main(String[] args) throws IOException {
        // The demo's settings are Settings.standard(); -Dbaid.out and -Dbaid.epochs change where and how long.
        Settings s = Settings.standard().withEpochs(Integer.getInteger("baid.epochs", Settings.standard().epochs()));
        Result result = run(Path.of(System.getProperty("baid.out", "runs/demo")), s);
        System.out.println(Evaluation.table("SAAN, painted artworks (test)", result.test()));
    }

    public static Result run(Path runDir, Settings s, TrainingListener... listeners) throws IOException {
        FolderKind.refuseOther(runDir, FolderKind.TRAINING_RUN, "--out");
        if (Files.exists(runDir.resolve("config.json"))) {
            throw new IOException(runDir + " already holds a run: choose another --out");
        }
        Path data = runDir.resolve("data");
        PaintedArtworks.write(data, s.train(), s.val(), s.test(), s.side(), s.seed());
        TrainingResult trained = TrainingRuns.train(s.training(data), runDir, listeners);
        BaidRoot root = BaidRoot.open(data);
        SaanModel best = SaanModel.load(trained.bestModel().toFile());
        Evaluation.Outcome test = Evaluation.run(best, root.labels(BaidSplit.TEST),
                new FileImages(root.imagesDir(), s.inputSize()), s.batch(), s.threads(), 1000, s.seed(), runDir, () -> { });
        RunReport.write(runDir, "baid demo: SAAN on painted artworks", trained.epochs(),
                new RunReport.EvaluatedSplit("test", "SAAN, painted artworks (test)", test.truth(), test.predicted(),
                        test.summary()));
        return new Result(trained, test.summary(), runDir);
    }
}
