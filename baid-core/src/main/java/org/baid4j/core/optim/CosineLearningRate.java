package org.baid4j.core.optim;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/** {@code base * (1 + cos(pi * epoch / epochs)) / 2}: per epoch, from the base rate towards zero at the end. */
public final class CosineLearningRate implements ISchedule {
    @JsonProperty
    private final double base;
    @JsonProperty
    private final int epochs;

    public CosineLearningRate(@JsonProperty("base") double base, @JsonProperty("epochs") int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("a cosine schedule needs at least 1 epoch, got " + epochs);
        }
        this.base = base;
        this.epochs = epochs;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return base * (1 + Math.cos(Math.PI * Math.min(epoch, epochs) / epochs)) / 2;
    }

    @Override
    public ISchedule clone() {
        return new CosineLearningRate(base, epochs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineLearningRate c && c.base == base && c.epochs == epochs;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(base) * 31 + epochs;
    }
}
