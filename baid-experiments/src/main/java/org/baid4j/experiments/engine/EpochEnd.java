package org.baid4j.experiments.engine;

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
    private final Map<String, Double> validation = new LinkedHashMap<>();

    EpochEnd(int epoch, double trainLoss, double learningRate, double seconds, long examples, List<String> metrics) {
        this.epoch = epoch;
        this.trainLoss = trainLoss;
        this.learningRate = learningRate;
        this.seconds = seconds;
        this.examples = examples;
        for (String m : metrics) {
            validation.put(m, Double.NaN);
        }
    }

    public int epoch() {
        return epoch;
    }

    /** Records the validation metrics (only those the task declared). */
    public void validated(Map<String, Double> values) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (!validation.containsKey(e.getKey())) {
                throw new IllegalArgumentException("validation metric " + e.getKey() + " was not declared: " + validation.keySet());
            }
            validation.put(e.getKey(), e.getValue());
        }
    }

    public EpochMetrics metrics() {
        return new EpochMetrics(epoch, trainLoss, validation, learningRate, seconds, examples / seconds);
    }
}
