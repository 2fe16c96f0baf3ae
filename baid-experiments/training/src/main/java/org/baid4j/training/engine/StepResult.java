package org.baid4j.training.engine;

import java.util.Map;

/**
 * What one optimiser step measured: the batch's loss and any of the task's training metrics
 * ({@link TrainingTask#trainingMetrics}), each a mean over the batch.
 */
public record StepResult(double loss, Map<String, Double> metrics) {
    public StepResult {
        metrics = Map.copyOf(metrics);
    }

    public static StepResult loss(double loss) {
        return new StepResult(loss, Map.of());
    }
}
