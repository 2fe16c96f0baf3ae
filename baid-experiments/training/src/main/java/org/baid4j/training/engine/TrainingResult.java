package org.baid4j.training.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training run produced: its folder, the metrics per epoch, and its best validation value
 * (of the task's {@link Objective}) with the epoch it came from (-1 if never validated).
 */
public record TrainingResult(Path runDir, List<EpochMetrics> epochs, Objective objective, double best, int bestEpoch) {
    public Path bestModel() {
        return runDir.resolve(RunDirectory.BEST);
    }
}
