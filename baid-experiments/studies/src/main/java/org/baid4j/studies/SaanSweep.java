package org.baid4j.studies;

import org.baid4j.studies.demo.PaintedArtworks;
import org.baid4j.training.engine.RunSettings;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.studies.sweep.Sweep;
import org.baid4j.studies.sweep.SweepSettings;
import org.baid4j.studies.sweep.SweepSpace;
import org.baid4j.training.saan.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The reproduction study's hyperparameter search (Optuna's TPE, 12 trials of 10 epochs, over the
 * learning rate, head dropout and head activation), on Arbiter with this project's TPE. Run it
 * from an IDE or as {@code baid search}; {@link #demo} is the same on painted artworks.
 */
public final class SaanSweep {
    /** The study's settings. */
    public static final int TRIALS = 12;
    public static final int EPOCHS = 10;
    public static final String SAMPLER = "tpe";
    public static final String OBJECTIVE = "val-srcc";
    public static final int STARTUP_TRIALS = 10;

    private SaanSweep() {
    }

    public static void main(String[] args) throws IOException {
        // The study's settings on a BAID root (-Dbaid.root, -Dbaid.out, -Dbaid.trials, -Dbaid.epochs; ImageNet
        // backbones with -Dbaid.resnet and -Dbaid.vgg, random ones without).
        String root = System.getProperty("baid.root", System.getProperty("user.home") + "/baid");
        Path out = Path.of(System.getProperty("baid.out", "runs/sweep"));
        TrainingConfig base = SaanRetraining.studyConfig(root, System.getProperty("baid.resnet"), System.getProperty("baid.vgg"));
        base = withEpochs(base, Integer.getInteger("baid.epochs", EPOCHS));
        SweepSettings settings = new SweepSettings(base, SweepSpace.studyDefault().toJson(), SAMPLER, OBJECTIVE,
                Integer.getInteger("baid.trials", TRIALS), base.run().seed(), 0, STARTUP_TRIALS);
        Sweep.Outcome outcome = Sweep.start(settings, out, System.err::println);
        System.out.print(Files.readString(outcome.dir().resolve("report.md")));
    }

    /** The painted-artworks root a demo sweep trains on, made in {@code dir} once. */
    public static Path demoRoot(Path dir) throws IOException {
        Path data = dir.resolve("data");
        if (!Files.exists(data.resolve("dataset").resolve("val_set.csv"))) {
            PaintedArtworks.write(data, 320, 80, 40, 64, 7);
        }
        return data;
    }

    /** The demo's training run at 64 px (the demo's settings but for its length) on a painted root. */
    public static TrainingConfig demoBase(Path root, int epochs, int threads) {
        PaintedArtworksDemo.Settings demo = PaintedArtworksDemo.Settings.standard();
        TrainingConfig c = new PaintedArtworksDemo.Settings(demo.train(), demo.val(), demo.test(), demo.side(),
                demo.inputSize(), epochs, demo.batch(), demo.learningRate(), demo.dropout(), demo.headActivation(),
                demo.seed(), threads).training(root);
        RunSettings r = c.run();
        return c.withRun(new RunSettings(epochs, r.batch(), r.seed(), 1, 1, 0));   // validate and checkpoint every epoch
    }

    static TrainingConfig withEpochs(TrainingConfig c, int epochs) {
        return c.withRun(c.run().withEpochs(epochs));
    }

    public static Sweep.Outcome run(SweepSettings settings, Path out, Consumer<String> progress, TrainingListener... listeners)
            throws IOException {
        return Sweep.start(settings, out, progress, listeners);
    }
}
