package org.baid4j.training.engine;

import java.io.IOException;

/** metrics.csv, a row per epoch (appended and synced), and its line in train.log. */
public final class MetricsListener implements TrainingListener {
    @Override
    public void onEpochEnd(TrainingRun<?> run, EpochEnd epoch) throws IOException {
        EpochMetrics m = epoch.metrics();
        run.dir().appendMetrics(m, run.task().metricColumns());
        run.dir().log("epoch " + m.epoch() + ": " + m.csv());
    }
}
