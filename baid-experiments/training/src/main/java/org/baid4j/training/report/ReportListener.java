package org.baid4j.training.report;

import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.engine.TrainingRun;

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
