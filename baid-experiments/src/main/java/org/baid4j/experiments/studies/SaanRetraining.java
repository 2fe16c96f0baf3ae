package org.baid4j.experiments.studies;

import org.baid4j.experiments.engine.FitStrategy;
import org.baid4j.experiments.engine.RunDirectory;
import org.baid4j.experiments.engine.RunSettings;
import org.baid4j.experiments.engine.TrainingEngine;
import org.baid4j.experiments.engine.TrainingListener;
import org.baid4j.experiments.engine.TrainingResult;
import org.baid4j.experiments.report.ReportListener;
import org.baid4j.experiments.training.SaanFineTuning;
import org.baid4j.experiments.training.TrainingConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Retraining SAAN on BAID with the reference's settings (the study of Yi et al. and of the
 * reproduction): a run folder with config.json, metrics.csv, checkpoints, best.zip and a report.
 * Run it from an IDE with the root and the backbone files below, or as {@code baid train}.
 */
public final class SaanRetraining {
    private SaanRetraining() {
    }

    public static void main(String[] args) throws IOException {
        // The study's settings: the reference's (TrainingConfig.reference) on a BAID root, from ImageNet
        // backbones; each can be set with -Dbaid.NAME=... (without backbone files the run uses random ones).
        String root = System.getProperty("baid.root", System.getProperty("user.home") + "/baid");
        Path out = Path.of(System.getProperty("baid.out", "runs/saan"));
        String resnet = System.getProperty("baid.resnet");
        String vgg = System.getProperty("baid.vgg");

        TrainingResult result = run(studyConfig(root, resnet, vgg), out);
        System.out.printf(Locale.ROOT, "best validation SRCC %.4f (epoch %d); run folder %s%n", result.best(),
                result.bestEpoch(), result.runDir());
    }

    /** The reference's settings on {@code root} with these backbones, and the run's size where -Dbaid.epochs, -Dbaid.batch or -Dbaid.input-size say. */
    static TrainingConfig studyConfig(String root, String resnet, String vgg) {
        TrainingConfig reference = TrainingConfig.reference(root);
        TrainingConfig.Model m = reference.model();
        RunSettings r = reference.run();
        return reference
                .withModel(new TrainingConfig.Model(m.variant(), Integer.getInteger("baid.input-size", m.inputSize()),
                        m.dropout(), m.headActivation(), null, null, resnet, vgg, resnet == null && vgg == null))
                .withRun(new RunSettings(Integer.getInteger("baid.epochs", r.epochs()), Integer.getInteger("baid.batch",
                        r.batch()), r.seed(), r.validateEvery(), r.checkpointEvery(), r.patience()));
    }

    /** A new run of {@code config} in {@code out}, with the standard listeners, a report, and {@code listeners}. */
    public static TrainingResult run(TrainingConfig config, Path out, TrainingListener... listeners) throws IOException {
        return run(config, out, FitStrategy.LOCAL, listeners);
    }

    /** The same, each epoch fitted by {@code fit} (ParallelWrapper, a Spark cluster); the caller closes it. */
    public static TrainingResult run(TrainingConfig config, Path out, FitStrategy fit, TrainingListener... listeners)
            throws IOException {
        try (SaanFineTuning task = new SaanFineTuning(config)) {
            return engine(config, out, listeners).withFit(fit).start(task, out);
        }
    }

    /** Continues the run in {@code runDir} from its last checkpoint. */
    public static TrainingResult resume(Path runDir, TrainingListener... listeners) throws IOException {
        return resume(runDir, null, listeners);
    }

    /** Continues the run in {@code runDir}, to {@code epochs} in all when not null (config.json records the change). */
    public static TrainingResult resume(Path runDir, Integer epochs, TrainingListener... listeners) throws IOException {
        return resume(runDir, epochs, FitStrategy.LOCAL, listeners);
    }

    /** Continues the run in {@code runDir} with {@code fit}, to {@code epochs} in all when not null. */
    public static TrainingResult resume(Path runDir, Integer epochs, FitStrategy fit, TrainingListener... listeners)
            throws IOException {
        TrainingConfig config = TrainingConfig.read(new RunDirectory(runDir).config());
        if (epochs != null) {
            config = config.withRun(config.run().withEpochs(epochs));
        }
        try (SaanFineTuning task = new SaanFineTuning(config)) {
            return engine(config, runDir, listeners).withFit(fit).resume(task, runDir);
        }
    }

    private static TrainingEngine engine(TrainingConfig config, Path out, TrainingListener... listeners) {
        return TrainingEngine.standard(config.run(), new ReportListener("Training run " + out.getFileName())).with(listeners);
    }
}
