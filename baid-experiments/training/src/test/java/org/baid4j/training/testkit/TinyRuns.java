package org.baid4j.training.testkit;

import org.baid4j.training.engine.RunSettings;
import org.baid4j.training.saan.TrainingConfig;

import java.nio.file.Path;

/** Small SAAN runs for tests: the reference's settings on a tiny root, 64 px, random backbones, no dropout. */
public final class TinyRuns {
    private TinyRuns() {
    }

    /** Two decoding threads, lr 1e-4, validation and a checkpoint every epoch. */
    public static TrainingConfig config(Path root, int epochs, int batch, long seed) {
        TrainingConfig reference = TrainingConfig.reference(root.toString());
        TrainingConfig.Model m = reference.model();
        return reference
                .withData(new TrainingConfig.Data(root.toString(), "1.0", false, false, 2))
                .withModel(new TrainingConfig.Model(m.variant(), 64, 0.0, m.headActivation(), null, null, null, null, true))
                .withOptimiser(reference.optimiser().withLearningRate(1e-4))
                .withRun(new RunSettings(epochs, batch, seed, 1, 1, 0));
    }
}
