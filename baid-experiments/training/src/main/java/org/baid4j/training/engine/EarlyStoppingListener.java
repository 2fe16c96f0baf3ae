package org.baid4j.training.engine;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stops a run when the objective has not improved for {@code patience} validations in a row. The
 * count comes from the run's history, so a resumed run stops where an uninterrupted one would;
 * a run that stopped early trains on only with a larger patience ({@link #stoppedEarly}).
 */
public final class EarlyStoppingListener implements TrainingListener {
    private final int patience;

    public EarlyStoppingListener(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        this.patience = patience;
    }

    @Override
    public void onTrainingBegin(TrainingRun<?> run) {
        long since = validationsSinceBest(run.bestEpoch(), run.history());
        if (since >= patience) {
            run.requestStop(reason(run, since));
        }
    }

    @Override
    public void onEpochEnd(TrainingRun<?> run, EpochEnd epoch) throws IOException {
        long since = validationsSinceBest(run.bestEpoch(), Stream.concat(run.history().stream(), Stream.of(epoch.metrics())).toList());
        if (since >= patience) {
            String reason = reason(run, since);
            run.dir().log("early stop after epoch " + epoch.epoch() + ": " + reason);
            run.requestStop(reason);
        }
    }

    private String reason(TrainingRun<?> run, long since) {
        return "no better " + run.task().objective().metric() + " in " + since + " validations (--patience " + patience
                + "; best " + String.format(java.util.Locale.ROOT, "%.4f", run.best()) + " at epoch " + run.bestEpoch() + ")";
    }

    /**
     * How many validations a run's {@code history} has had since its best epoch, when that many
     * stopped it under {@code patience} (0: none); else 0. A resume trains on only with a patience
     * above it.
     */
    public static long stoppedEarly(List<EpochMetrics> history, int bestEpoch, int patience) {
        long since = validationsSinceBest(bestEpoch, history);
        return patience > 0 && since >= patience ? since : 0;
    }

    private static long validationsSinceBest(int bestEpoch, List<EpochMetrics> epochs) {
        return epochs.stream().filter(m -> m.epoch() > bestEpoch && m.validated()).count();
    }
}
