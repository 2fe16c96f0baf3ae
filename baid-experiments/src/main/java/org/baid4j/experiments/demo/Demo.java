package org.baid4j.experiments.demo;

import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.experiments.report.RunReport;
import org.baid4j.experiments.training.Evaluation;
import org.baid4j.experiments.training.Trainer;
import org.baid4j.experiments.training.TrainingConfig;
import org.baid4j.experiments.training.TrainingResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main job on an embedded default: paint a small artwork set ({@link PaintedArtworks}), train
 * SAAN on it at a reduced input size from random backbones with the reproduction study's tuned
 * head settings, evaluate the best model on held-out paintings, and leave a run folder with the
 * same files a real run has plus summary.json and result.csv of the test split.
 */
public final class Demo {
    /** The demo's size: small enough for 2 CPU cores in minutes. */
    public record Settings(int train, int val, int test, int side, int inputSize, int epochs, int batch, double learningRate,
                           double dropout, String headActivation, long seed, int threads) {
        public static Settings standard() {
            return new Settings(800, 100, 200, 64, 64, 3, 16, 1e-4, 0.2, "leaky-relu", 7,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    public record Result(TrainingResult training, AestheticsMetrics.Summary test, Path runDir) {
    }

    private Demo() {
    }

    public static Result run(Path runDir, Settings s, Trainer.Listener listener) throws IOException {
        if (Files.exists(runDir.resolve("config.json"))) {
            throw new IOException(runDir + " already holds a run: choose another --out");
        }
        Path data = runDir.resolve("data");
        PaintedArtworks.write(data, s.train(), s.val(), s.test(), s.side(), s.seed());
        TrainingConfig config = new TrainingConfig(data.toString(), "full", s.inputSize(), s.learningRate(), 5e-4,
                s.dropout(), s.headActivation(), s.epochs(), s.batch(), s.seed(), "1.0", null, null, null, null, true,
                false, s.threads(), false, 1, s.epochs());
        TrainingResult trained = Trainer.train(config, runDir, listener);
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
