package org.baid4j.studies.sweep;

import org.baid4j.training.engine.EpochMetrics;
import org.baid4j.tuning.TaskScore;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a sweep optimises: a validation metric of each trial, read at its best epoch; for Arbiter's
 * runner, the direction (the trials compute their scores themselves).
 */
public enum SweepObjective implements TaskScore {
    VAL_SRCC("val-srcc", "val_srcc", false),
    VAL_PLCC("val-plcc", "val_plcc", false),
    VAL_MSE("val-mse", "val_loss", true);

    private final String label;
    private final String metric;
    private final boolean minimize;

    SweepObjective(String label, String metric, boolean minimize) {
        this.label = label;
        this.metric = metric;
        this.minimize = minimize;
    }

    public String label() {
        return label;
    }

    public String metric() {
        return metric;
    }

    public static SweepObjective parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.label.equals(t)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown objective '" + text + "' (expected val-srcc, val-plcc or val-mse)"));
    }

    /** The metric at the trial's best epoch (its best value over the validated epochs); NaN if none is finite. */
    public double of(List<EpochMetrics> epochs) {
        double best = Double.NaN;
        for (EpochMetrics m : epochs) {
            double v = m.metric(metric);
            if (Double.isFinite(v) && (Double.isNaN(best) || (minimize ? v < best : v > best))) {
                best = v;
            }
        }
        return best;
    }

    /** The epoch that value comes from, -1 if none. */
    public int bestEpoch(List<EpochMetrics> epochs) {
        double best = of(epochs);
        return epochs.stream().filter(m -> m.metric(metric) == best).mapToInt(EpochMetrics::epoch).findFirst().orElse(-1);
    }

    public boolean better(double a, double b) {
        return Double.isNaN(b) || (minimize ? a < b : a > b);
    }

    @Override
    public boolean minimize() {
        return minimize;
    }
}
