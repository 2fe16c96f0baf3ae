package org.baid4j.training.engine;

import org.baid4j.core.io.OutputFile;
import org.baid4j.core.model.TrainableNetwork;

import java.io.IOException;

/**
 * Validation and the best model: validates on the run's schedule, records the metrics in the
 * epoch, and when the task's objective improves writes best.zip (without optimiser state).
 */
public final class ValidationListener implements TrainingListener {
    @Override
    public void onEpochEnd(TrainingRun<?> run, EpochEnd epoch) throws IOException {
        if (!run.settings().validates(epoch.epoch())) {
            return;
        }
        epoch.validated(validate(run));
        Objective objective = run.task().objective();
        double value = epoch.metrics().metric(objective.metric());
        if (objective.improves(value, run.best())) {
            run.newBest(value, epoch.epoch());
            OutputFile.write(run.dir().best(), tmp -> run.model().save(tmp.toFile(), false));
        }
    }

    private static <M extends TrainableNetwork> java.util.Map<String, Double> validate(TrainingRun<M> run) throws IOException {
        return run.task().validate(run.model());
    }
}
