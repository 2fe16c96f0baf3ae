package org.baid4j.training;

import org.baid4j.core.io.FolderKind;

import org.baid4j.core.io.OutputFile;
import org.baid4j.core.model.GabPretrainingNetwork;
import org.baid4j.training.engine.FitStrategy;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.TrainingEngine;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.pretraining.GabPretraining;
import org.baid4j.training.pretraining.OperationAccuracy;
import org.baid4j.training.pretraining.PretrainingConfig;
import org.baid4j.training.report.ReportListener;
import org.baid4j.training.report.RunReport;
import org.baid4j.training.saan.SaanTraining;
import org.baid4j.training.saan.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training from Java: a SAAN training run and GAB's pretraining, each into a run folder
 * (config.json, metrics.csv, checkpoints, best.zip, report.md with its plots), and their resumption
 * from the last checkpoint. The tasks ({@link SaanTraining}, {@link GabPretraining}) say what is
 * trained; the engine runs them with the standard listeners and a report.
 */
public final class TrainingRuns {
    private TrainingRuns() {
    }

    /** A new run of {@code config} in {@code out}, with the standard listeners, a report, and {@code listeners}. */
    public static TrainingResult train(TrainingConfig config, Path out, TrainingListener... listeners) throws IOException {
        return train(config, out, FitStrategy.LOCAL, listeners);
    }

    /** The same, each epoch fitted by {@code fit} (ParallelWrapper, a Spark cluster); the caller closes it. */
    public static TrainingResult train(TrainingConfig config, Path out, FitStrategy fit, TrainingListener... listeners)
            throws IOException {
        FolderKind.refuseOther(out, FolderKind.TRAINING_RUN, "--out");
        config.model().weights().requireFiles();
        try (SaanTraining task = new SaanTraining(config)) {
            return trainingEngine(config, out, listeners).withFit(fit).start(task, out);
        }
    }

    /** Continues the run in {@code runDir} from its last checkpoint. */
    public static TrainingResult resume(Path runDir, TrainingListener... listeners) throws IOException {
        return resume(runDir, null, listeners);
    }

    /** Continues the run in {@code runDir}, to {@code epochs} in all when not null (config.json records the change). */
    public static TrainingResult resume(Path runDir, Integer epochs, TrainingListener... listeners) throws IOException {
        return resume(runDir, epochs, FitStrategy.LOCAL, listeners);
    }

    /** Continues the run in {@code runDir} with {@code fit}, to {@code epochs} in all when not null. */
    public static TrainingResult resume(Path runDir, Integer epochs, FitStrategy fit, TrainingListener... listeners)
            throws IOException {
        return resume(runDir, epochs, null, fit, listeners);
    }

    /**
     * ... with early stopping's patience set to {@code patience} when not null (a run that stopped
     * early trains on with a larger one, or 0 for none).
     */
    public static TrainingResult resume(Path runDir, Integer epochs, Integer patience, FitStrategy fit,
                                        TrainingListener... listeners) throws IOException {
        TrainingConfig config = TrainingConfig.read(new RunDirectory(runDir).config());
        if (epochs != null) {
            config = config.withRun(config.run().withEpochs(epochs));
        }
        if (patience != null) {
            config = config.withRun(config.run().withPatience(patience));
        }
        try (SaanTraining task = new SaanTraining(config)) {
            return trainingEngine(config, runDir, listeners).withFit(fit).resume(task, runDir);
        }
    }

    private static TrainingEngine trainingEngine(TrainingConfig config, Path out, TrainingListener... listeners) {
        return TrainingEngine.standard(config.run(), new ReportListener("Training run " + out.getFileName())).with(listeners);
    }

    /** A new pretraining run of {@code config} in {@code out}. */
    public static TrainingResult pretrain(PretrainingConfig config, Path out, TrainingListener... listeners) throws IOException {
        FolderKind.refuseOther(out, FolderKind.PRETRAINING_RUN, "--out");
        GabPretraining task = new GabPretraining(config);
        return withOperationAccuracy(task, pretrainingEngine(config, out, listeners).start(task, out));
    }

    /** Continues the pretraining run in {@code runDir} from its last checkpoint. */
    public static TrainingResult resumePretraining(Path runDir, TrainingListener... listeners) throws IOException {
        return resumePretraining(runDir, null, listeners);
    }

    /** Continues the run in {@code runDir}, to {@code epochs} in all when not null (config.json records the change). */
    public static TrainingResult resumePretraining(Path runDir, Integer epochs, TrainingListener... listeners) throws IOException {
        return resumePretraining(runDir, epochs, null, listeners);
    }

    /** ... with early stopping's patience set to {@code patience} when not null. */
    public static TrainingResult resumePretraining(Path runDir, Integer epochs, Integer patience,
                                                   TrainingListener... listeners) throws IOException {
        PretrainingConfig config = PretrainingConfig.read(new RunDirectory(runDir).config());
        if (epochs != null) {
            config = config.withRun(config.run().withEpochs(epochs));
        }
        if (patience != null) {
            config = config.withRun(config.run().withPatience(patience));
        }
        GabPretraining task = new GabPretraining(config);
        return withOperationAccuracy(task, pretrainingEngine(config, runDir, listeners).resume(task, runDir));
    }

    private static TrainingEngine pretrainingEngine(PretrainingConfig config, Path out, TrainingListener... listeners) {
        return TrainingEngine.standard(config.run(), new ReportListener("GAB pretraining " + out.getFileName())).with(listeners);
    }

    /** The best model's accuracy per operation: operations.csv and a section of report.md. */
    private static TrainingResult withOperationAccuracy(GabPretraining task, TrainingResult result) throws IOException {
        Path best = Files.exists(result.bestModel()) ? result.bestModel() : null;
        if (best != null) {
            OperationAccuracy accuracy = task.operationAccuracy(GabPretrainingNetwork.load(best.toFile()));
            OutputFile.writeString(result.runDir().resolve("operations.csv"), accuracy.csv());
            RunReport.append(result.runDir(), String.format(Locale.ROOT,
                    "## Degradation accuracy per operation (best model, epoch %d, validation samples)%n%n%s", result.bestEpoch(),
                    accuracy.table()));
        }
        return result;
    }
}
