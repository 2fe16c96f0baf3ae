package org.baid4j.experiments.training;

import java.nio.file.Path;
import java.util.List;

/** What a training run produced: its folder, the metrics per epoch, and its best validation SRCC. */
public record TrainingResult(Path runDir, List<EpochMetrics> epochs, double bestValSrcc, int bestEpoch) {
    public Path bestModel() {
        return runDir.resolve("best.zip");
    }
}
