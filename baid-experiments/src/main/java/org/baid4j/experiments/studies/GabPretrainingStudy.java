package org.baid4j.experiments.studies;

import org.baid4j.core.io.OutputFile;
import org.baid4j.core.model.GabPretrainingNetwork;
import org.baid4j.experiments.engine.RunDirectory;
import org.baid4j.experiments.engine.RunSettings;
import org.baid4j.experiments.engine.TrainingEngine;
import org.baid4j.experiments.engine.TrainingListener;
import org.baid4j.experiments.engine.TrainingResult;
import org.baid4j.experiments.pretraining.GabPretraining;
import org.baid4j.experiments.pretraining.OperationAccuracy;
import org.baid4j.experiments.pretraining.PretrainingConfig;
import org.baid4j.experiments.report.ReportListener;
import org.baid4j.experiments.report.RunReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * GAB's self-supervised pretraining (Yi et al., section 4.2, the authors' {@code pretraining.py})
 * with the reference's settings: a run folder with config.json, metrics.csv (both losses and the
 * degradation accuracy per epoch), checkpoints, best.zip (best validation accuracy), report.md
 * and operations.csv (the best model's accuracy per operation). Its best.zip feeds GAB and SAB's
 * ResNet ({@code baid train --pretrained RUN/best.zip}). Run it from an IDE or as {@code baid pretrain}.
 */
public final class GabPretrainingStudy {
    private GabPretrainingStudy() {
    }

    public static void main(String[] args) throws IOException {
        // The reference's settings (PretrainingConfig.reference) on a BAID root; -Dbaid.root, -Dbaid.out,
        // -Dbaid.epochs and -Dbaid.input-size change them.
        PretrainingConfig reference = PretrainingConfig.reference(System.getProperty("baid.root", System.getProperty("user.home") + "/baid"));
        RunSettings r = reference.run();
        PretrainingConfig config = reference
                .withModel(new PretrainingConfig.Model(Integer.getInteger("baid.input-size", reference.model().inputSize()),
                        reference.model().dropout(), null))
                .withRun(new RunSettings(Integer.getInteger("baid.epochs", r.epochs()), r.batch(), r.seed(), r.validateEvery(),
                        r.checkpointEvery(), r.patience()));
        TrainingResult result = run(config, Path.of(System.getProperty("baid.out", "runs/pretrain")));
        System.out.printf(Locale.ROOT, "best validation accuracy %.4f (epoch %d); run folder %s%n", result.best(),
                result.bestEpoch(), result.runDir());
    }

    /** A new pretraining run of {@code config} in {@code out}. */
    public static TrainingResult run(PretrainingConfig config, Path out, TrainingListener... listeners) throws IOException {
        GabPretraining task = new GabPretraining(config);
        return finish(task, engine(config, out, listeners).start(task, out));
    }

    /** Continues the pretraining run in {@code runDir} from its last checkpoint. */
    public static TrainingResult resume(Path runDir, TrainingListener... listeners) throws IOException {
        return resume(runDir, null, listeners);
    }

    /** Continues the run in {@code runDir}, to {@code epochs} in all when not null (config.json records the change). */
    public static TrainingResult resume(Path runDir, Integer epochs, TrainingListener... listeners) throws IOException {
        PretrainingConfig config = PretrainingConfig.read(new RunDirectory(runDir).config());
        if (epochs != null) {
            config = config.withRun(config.run().withEpochs(epochs));
        }
        GabPretraining task = new GabPretraining(config);
        return finish(task, engine(config, runDir, listeners).resume(task, runDir));
    }

    private static TrainingEngine engine(PretrainingConfig config, Path out, TrainingListener... listeners) {
        return TrainingEngine.standard(config.run(), new ReportListener("GAB pretraining " + out.getFileName())).with(listeners);
    }

    /** The best model's accuracy per operation: operations.csv and a section of report.md. */
    private static TrainingResult finish(GabPretraining task, TrainingResult result) throws IOException {
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
