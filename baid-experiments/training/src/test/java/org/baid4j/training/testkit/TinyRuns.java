package org.baid4j.training.testkit;

import org.baid4j.training.saan.TrainingConfig;

import java.nio.file.Path;

/** Small SAAN runs for tests: the reference's settings on a tiny root, 64 px, random backbones, no dropout. */
public final class TinyRuns {
    private TinyRuns() {
    }

    /** Two decoding threads, lr 1e-4, validation and a checkpoint every epoch. */
    public static TrainingConfig config(Path root, int epochs, int batch, long seed) {
        return TrainingConfig.builder().setRoot(root)
                .optThreads(2)
                .optInputSize(64).optDropout(0.0).optRandomBackbones(true)
                .optLearningRate(1e-4)
                .optEpochs(epochs).optBatch(batch).optSeed(seed).optIntervals(1, 1)
                .build();
    }
}
