package org.baid4j.training.engine;

/** The validation metric that decides which epoch's model is the best, and whether higher is better. */
public record Objective(String metric, boolean maximise) {
    public static Objective maximise(String metric) {
        return new Objective(metric, true);
    }

    public static Objective minimise(String metric) {
        return new Objective(metric, false);
    }

    /** Whether {@code value} improves on {@code best} (NaN never does). */
    public boolean improves(double value, double best) {
        if (Double.isNaN(value)) {
            return false;
        }
        return Double.isNaN(best) || (maximise ? value > best : value < best);
    }
}
