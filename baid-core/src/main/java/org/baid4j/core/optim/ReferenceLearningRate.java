package org.baid4j.core.optim;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The reference's step schedule as it applies it: after epoch e (0-based) the rate is set to
 * {@code base * 0.1^floor(e / 10)} while e < 40, else {@code base * 1e-4}; so epochs 0-10 run at
 * base, 11-20 at base / 10, 21-30 at base / 100, 31-40 at base / 1000, and later at base * 1e-4.
 * DL4J passes the number of finished epochs, which is the epoch being trained.
 */
public class ReferenceLearningRate implements ISchedule {
    @JsonProperty
    private final double base;

    public ReferenceLearningRate(@JsonProperty("base") double base) {
        this.base = base;
    }

    public double base() {
        return base;
    }

    /** The rate during epoch {@code epoch} (0-based). */
    public double during(int epoch) {
        if (epoch == 0) {
            return base;
        }
        int setAfter = epoch - 1;
        return setAfter < 40 ? base * Math.pow(0.1, setAfter / 10) : base * 1e-4;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return during(epoch);
    }

    @Override
    public ISchedule clone() {
        return new ReferenceLearningRate(base);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReferenceLearningRate && ((ReferenceLearningRate) o).base == base;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(base);
    }
}
