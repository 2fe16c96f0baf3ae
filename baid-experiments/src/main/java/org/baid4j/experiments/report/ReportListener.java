package org.baid4j.experiments.report;

import org.baid4j.experiments.engine.TrainingListener;
import org.baid4j.experiments.engine.TrainingResult;
import org.baid4j.experiments.engine.TrainingRun;

import java.io.IOException;

/** Writes the run's report.md with its plots when the run finishes. */
public final class ReportListener implements TrainingListener {
    private final String title;

    public ReportListener(String title) {
        this.title = title;
    }

    @Override
    public void onTrainingEnd(TrainingRun<?> run, TrainingResult result) throws IOException {
        RunReport.write(result.runDir(), title, result.epochs(), null);
    }
}
