package org.baid4j.studies;

import org.baid4j.core.io.FolderKind;

import org.baid4j.core.io.FolderLock;
import org.baid4j.core.io.OutputFile;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.studies.demo.PaintedArtworks;
import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.EpochMetrics;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.pretraining.PretrainingConfig;
import org.baid4j.training.saan.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The experiment the reproductions could not run: does GAB's pretraining matter? At the demo's
 * scale (painted artworks, 64 px, CPU): pretrain GAB without labels, then train SAAN with the
 * pretrained GAB (and SAB's ResNet), with a random GAB (what the reference's public code trains,
 * its checkpoint loading matching no name) and without GAB, the same seeds and settings each; one
 * table of mean ± std over seeds with the majority baseline. Everything lands in one folder, and
 * an interrupted experiment picks up where it stopped. Run it from an IDE or as
 * {@code baid demo --pretrain}.
 */
public final class GabPretrainingExperiment {
    /** The pretraining's size at the demo's scale, the seeds, and the demo's SAAN settings. */
    public record Settings(PaintedArtworksDemo.Settings demo, int pretrainEpochs, int rankingFrom, int pretrainBatch,
                           double pretrainLr, String images, String subset, int seeds) {
        /** Half of each split's paintings for the pretraining (DL4J trains ResNet-50 at about 14 images/s here), 3 seeds. */
        public static Settings standard() {
            return new Settings(PaintedArtworksDemo.Settings.standard(), 4, 3, 32, 1e-3, PretrainingConfig.ALL_IMAGES, "0.5", 3);
        }

        public Settings withSeeds(int n) {
            return new Settings(demo, pretrainEpochs, rankingFrom, pretrainBatch, pretrainLr, images, subset, n);
        }

        public Settings withPretrainEpochs(int e, int from) {
            return new Settings(demo, e, from, pretrainBatch, pretrainLr, images, subset, seeds);
        }

        public Settings withDemo(PaintedArtworksDemo.Settings d) {
            return new Settings(d, pretrainEpochs, rankingFrom, pretrainBatch, pretrainLr, images, subset, seeds);
        }

        /** The reference's pretraining but for the demo's scale. */
        PretrainingConfig pretraining(Path root) {
            return PretrainingConfig.builder().setRoot(root.toAbsolutePath())
                    .optImages(images).optSubset(subset).optValImages(demo.val()).optThreads(demo.threads())
                    .optInputSize(demo.inputSize()).optRankingFrom(rankingFrom)
                    .optLearningRate(pretrainLr)
                    .optEpochs(pretrainEpochs).optBatch(pretrainBatch).optSeed(demo.seed()).optIntervals(1, 1)
                    .build();
        }
    }

    public record Result(TrainingResult pretraining, List<SaanAblation.Run> runs, Path table) {
    }

    private GabPretrainingExperiment() {
    }

    public static void main(String[] args) throws IOException {
        // Settings.standard(); -Dbaid.out and -Dbaid.seeds change where and how many.
        Settings s = Settings.standard().withSeeds(Integer.getInteger("baid.seeds", Settings.standard().seeds()));
        Result result = run(Path.of(System.getProperty("baid.out", "runs/gab-pretraining")), s);
        System.out.print(Files.readString(result.table()));
    }

    public static Result run(Path out, Settings s, TrainingListener... listeners) throws IOException {
        FolderKind.refuseOther(out, FolderKind.EXPERIMENT, "--out");
        try (FolderLock lock = FolderLock.acquire(out)) {
            return runLocked(out, s, listeners);
        }
    }

    private static Result runLocked(Path out, Settings s, TrainingListener... listeners) throws IOException {
        long start = System.nanoTime();
        Path data = out.resolve("data");
        if (!Files.exists(data.resolve("dataset").resolve("test_set.csv"))) {
            PaintedArtworks.write(data, s.demo().train(), s.demo().val(), s.demo().test(), s.demo().side(), s.demo().seed());
        }
        Path pretrainDir = out.resolve("pretrain");
        RunDirectory existing = new RunDirectory(pretrainDir);
        TrainingResult pretrained;
        if (!existing.holdsRun()) {
            pretrained = TrainingRuns.pretrain(s.pretraining(data), pretrainDir, listeners);
        } else {
            pretrained = TrainingRuns.resumePretraining(pretrainDir, listeners);
        }
        double pretrainMinutes = (System.nanoTime() - start) / 6e10;
        List<SaanAblation.Arm> arms = List.of(SaanAblation.Arm.pretrainedGab(pretrained.bestModel()),
                SaanAblation.Arm.randomGab(), SaanAblation.Arm.variant(SaanVariant.WITHOUT_GAB));
        TrainingConfig base = s.demo().training(data);
        List<SaanAblation.Run> runs = SaanAblation.run(base, out.resolve("saan"), s.seeds(), arms, listeners);
        double minutes = (System.nanoTime() - start) / 6e10;
        Path table = out.resolve("experiment.md");
        OutputFile.writeString(table, report(pretrained, runs, base, s, pretrainMinutes, minutes));
        return new Result(pretrained, runs, table);
    }

    private static String report(TrainingResult pretrained, List<SaanAblation.Run> runs, TrainingConfig base, Settings s,
                                 double pretrainMinutes, double minutes) {
        StringBuilder md = new StringBuilder("# GAB pretrained, random, or absent (painted artworks)\n\n");
        md.append(String.format(Locale.ROOT, "Pretraining: %d epochs on %s of each split's paintings (--images %s, no labels),"
                        + " ranking loss from epoch %d, %d px, batch %d, Adam lr %.0e; accuracy per epoch (chance %.1f%%):%n%n",
                s.pretrainEpochs(), s.subset(), s.images(), s.rankingFrom(), s.demo().inputSize(), s.pretrainBatch(),
                s.pretrainLr(), 100.0 / 30));
        md.append("| epoch | train degradation loss | train ranking loss | train accuracy | val accuracy |\n|---|---|---|---|---|\n");
        for (EpochMetrics m : pretrained.epochs()) {
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %s | %.1f%% | %.1f%% |%n", m.epoch(),
                    m.metric("train_degradation_loss"), Double.isNaN(m.metric("train_ranking_loss")) ? ""
                            : String.format(Locale.ROOT, "%.4f", m.metric("train_ranking_loss")),
                    100 * m.metric("train_accuracy"), 100 * m.metric("val_accuracy")));
        }
        md.append(String.format(Locale.ROOT, "%nPer-operation accuracy: `pretrain/report.md`. Pretraining took %.1f minutes.%n%n",
                pretrainMinutes));
        md.append("SAAN, each arm with the same settings and seeds (the demo's: random VGG in every arm):\n\n");
        md.append(SaanAblation.table(runs, base));
        md.append(String.format(Locale.ROOT, "%nAll of it: %.1f minutes on %d threads.%n", minutes, s.demo().threads()));
        return md.toString();
    }
}
