package org.baid4j.training.engine;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stops a run when the objective has not improved for {@code patience} validations in a row. The
 * count comes from the run's history, so a resumed run stops where an uninterrupted one would,
 * and resuming a run that stopped early trains nothing more.
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
        if (validationsSinceBest(run, run.history()) >= patience) {
            run.requestStop();
        }
    }

    @Override
    public void onEpochEnd(TrainingRun<?> run, EpochEnd epoch) throws IOException {
        long since = validationsSinceBest(run, Stream.concat(run.history().stream(), Stream.of(epoch.metrics())).toList());
        if (since >= patience) {
            run.dir().log("early stop after epoch " + epoch.epoch() + ": no better " + run.task().objective().metric()
                    + " in " + since + " validations (best " + run.best() + " at epoch " + run.bestEpoch() + ")");
            run.requestStop();
        }
    }

    private static long validationsSinceBest(TrainingRun<?> run, List<EpochMetrics> epochs) {
        return epochs.stream().filter(m -> m.epoch() > run.bestEpoch() && m.validated()).count();
    }
}
