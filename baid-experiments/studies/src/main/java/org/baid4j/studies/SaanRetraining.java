package org.baid4j.studies;

import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.saan.TrainingConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Retraining SAAN on BAID with the reference's settings (the study of Yi et al. and of the
 * reproduction): a run folder with config.json, metrics.csv, checkpoints, best.zip and a report.
 * Run it from an IDE with the root and the backbone files below, or as {@code baid train}; the
 * training itself is {@link TrainingRuns#train}.
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

        TrainingResult result = TrainingRuns.train(studyConfig(root, resnet, vgg), out);
        System.out.printf(Locale.ROOT, "best validation SRCC %.4f (epoch %d); run folder %s%n", result.best(),
                result.bestEpoch(), result.runDir());
    }

    /** The reference's settings on {@code root} with these backbones, and the run's size where -Dbaid.epochs, -Dbaid.batch or -Dbaid.input-size say. */
    static TrainingConfig studyConfig(String root, String resnet, String vgg) {
        TrainingConfig reference = TrainingConfig.reference(root);
        return reference.toBuilder()
                .optInputSize(Integer.getInteger("baid.input-size", reference.saanConfig().inputSize()))
                .optResNet(resnet).optVgg(vgg).optRandomBackbones(resnet == null && vgg == null)
                .optEpochs(Integer.getInteger("baid.epochs", reference.run().epochs()))
                .optBatch(Integer.getInteger("baid.batch", reference.run().batch()))
                .build();
    }
}
