package org.baid4j.training.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training run produced: its folder, the metrics per epoch, its best validation value (of
 * the task's {@link Objective}) with the epoch it came from (-1 if never validated), and why it
 * stopped before its last epoch (null when it did not: early stopping says why).
 */
public record TrainingResult(Path runDir, List<EpochMetrics> epochs, Objective objective, double best, int bestEpoch,
                             String stoppedEarly) {
    public Path bestModel() {
        return runDir.resolve(RunDirectory.BEST);
    }
}
