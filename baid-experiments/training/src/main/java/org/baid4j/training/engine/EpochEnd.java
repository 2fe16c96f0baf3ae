package org.baid4j.training.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An epoch just trained, as the listeners see it: validation adds its metrics, the others read them. */
public final class EpochEnd {
    private final int epoch;
    private final double trainLoss;
    private final double learningRate;
    private final double seconds;
    private final long examples;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final List<String> validationNames;

    EpochEnd(int epoch, double trainLoss, double learningRate, double seconds, long examples, List<String> trainingMetrics,
             List<String> validationMetrics) {
        this.epoch = epoch;
        this.trainLoss = trainLoss;
        this.learningRate = learningRate;
        this.seconds = seconds;
        this.examples = examples;
        this.validationNames = List.copyOf(validationMetrics);
        for (String m : trainingMetrics) {
            metrics.put(m, Double.NaN);
        }
        for (String m : validationMetrics) {
            metrics.put(m, Double.NaN);
        }
    }

    public int epoch() {
        return epoch;
    }

    /** Records the validation metrics (only those the task declared). */
    public void validated(Map<String, Double> values) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (!validationNames.contains(e.getKey())) {
                throw new IllegalArgumentException("validation metric " + e.getKey() + " was not declared: " + validationNames);
            }
            metrics.put(e.getKey(), e.getValue());
        }
    }

    /** Records the epoch's training metrics (the engine's means of the steps'). */
    void trained(Map<String, Double> values) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (!metrics.containsKey(e.getKey()) || validationNames.contains(e.getKey())) {
                throw new IllegalArgumentException("training metric " + e.getKey() + " was not declared");
            }
            metrics.put(e.getKey(), e.getValue());
        }
    }

    public EpochMetrics metrics() {
        return new EpochMetrics(epoch, trainLoss, metrics, learningRate, seconds, examples / seconds);
    }
}
