package org.baid4j.studies;

import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.pretraining.PretrainingConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * GAB's self-supervised pretraining (Yi et al., section 4.2, the authors' {@code pretraining.py})
 * with the reference's settings: a run folder with config.json, metrics.csv (both losses and the
 * degradation accuracy per epoch), checkpoints, best.zip (best validation accuracy), report.md
 * and operations.csv (the best model's accuracy per operation). Its best.zip feeds GAB and SAB's
 * ResNet ({@code baid train --pretrained RUN/best.zip}). Run it from an IDE or as {@code baid pretrain}; the pretraining itself
 * is {@link TrainingRuns#pretrain}.
 */
public final class GabPretrainingStudy {
    private GabPretrainingStudy() {
    }

    public static void main(String[] args) throws IOException {
        // The reference's settings (PretrainingConfig.reference) on a BAID root; -Dbaid.root, -Dbaid.out,
        // -Dbaid.epochs and -Dbaid.input-size change them.
        PretrainingConfig reference = PretrainingConfig.reference(System.getProperty("baid.root", System.getProperty("user.home") + "/baid"));
        PretrainingConfig config = reference.toBuilder()
                .optInputSize(Integer.getInteger("baid.input-size", reference.model().inputSize()))
                .optEpochs(Integer.getInteger("baid.epochs", reference.run().epochs()))
                .build();
        TrainingResult result = TrainingRuns.pretrain(config, Path.of(System.getProperty("baid.out", "runs/pretrain")));
        System.out.printf(Locale.ROOT, "best validation accuracy %.4f (epoch %d); run folder %s%n", result.best(),
                result.bestEpoch(), result.runDir());
    }
}
