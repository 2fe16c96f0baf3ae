package org.baid4j.cli;

import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.pretraining.PretrainingConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code baid pretrain}: GAB's self-supervised pretraining with the reference's settings as defaults. */
@Command(name = "pretrain", header = "Pretrain GAB's ResNet-50 on the 30 degradations, as the reference does.", mixinStandardHelpOptions = true, defaultValueProvider = PretrainCommand.Defaults.class,
        description = {"Pretrain GAB's ResNet-50 without labels, as the reference does: tell which of 30 degradations",
                "was applied (and, from --ranking-from on, place stronger ones farther from the original).",
                "Run folder: config.json, metrics.csv, train.log, checkpoints, best.zip (best validation accuracy),",
                "report.md, operations.csv. best.zip feeds 'baid train --pretrained'. --resume RUN_DIR continues a run."})
public final class PretrainCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    RunTarget mode;

    @Option(names = "--images", description = "all (the reference: every split, test images included, without labels)"
            + " or train (the train split only) (default ${DEFAULT-VALUE}).")
    String images;

    @Option(names = "--subset", paramLabel = "FRACTION|COUNT", description = "A stratified subset of each split (default: all).")
    String subset;

    @Option(names = "--operations", paramLabel = "auto|baid|drawn|FILE", description = "Each image's three operations:"
            + " BAID's operations.csv, three drawn with the seed, or a file of that form; auto: BAID's where it lists every"
            + " image (default ${DEFAULT-VALUE}).")
    String operations;

    @Option(names = "--no-jpeg", description = "Skip the reference's JPEG round trip (quality 95) of every rendered image.")
    boolean noJpeg;

    @Option(names = "--val-images", description = "Val-split images for the validation metrics, at most (default ${DEFAULT-VALUE}).")
    int valImages;

    @Option(names = "--skip-missing", description = "Pretrain on the images present; say how many were left out.")
    boolean skipMissing;

    @Option(names = "--threads", description = "Rendering threads (default: the number of cores, ${DEFAULT-VALUE} here).")
    int threads;

    @Option(names = "--input-size", description = "Input side, a multiple of 32 (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--dropout", description = "Dropout before the classifier (default ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--from", paramLabel = "FILE", description = "Start from a pretraining checkpoint (baid4j's .zip or the authors' .pth).")
    Path from;

    @Option(names = "--ranking-from", paramLabel = "EPOCH", description = "Add the ranking loss from this epoch, 0-based (default ${DEFAULT-VALUE}).")
    int rankingFrom;

    @Option(names = "--degradation-weight", description = "Weight of the degradation loss (default ${DEFAULT-VALUE}).")
    double degradationWeight;

    @Option(names = "--ranking-weight", description = "Weight of the ranking loss (default ${DEFAULT-VALUE}).")
    double rankingWeight;

    @Mixin
    OptimiserRunOptions training;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainingListener progress = new EpochProgress();
        RunTarget.Resume resume = mode.resume == null ? null : mode.resumeChanges(spec, c -> PretrainingConfig.read(c).run());
        TrainingResult result = resume != null
                ? TrainingRuns.resumePretraining(mode.resume, resume.epochs(), resume.patience(), progress)
                : TrainingRuns.pretrain(config(mode.start.root), mode.start.out, progress);
        if (result.stoppedEarly() != null) {
            System.err.println("stopped early: " + result.stoppedEarly());
        }
        System.out.printf(Locale.ROOT, "best validation accuracy %.4f (epoch %d, chance %.4f); run folder %s%n",
                result.best(), result.bestEpoch(), 1.0 / 30, result.runDir());
        return 0;
    }

    PretrainingConfig config(Path root) {
        return PretrainingConfig.builder().setRoot(root)
                .optImages(images).optSubset(subset).optOperations(operations).optJpeg(!noJpeg).optValImages(valImages)
                .optSkipMissing(skipMissing).optThreads(threads)
                .optInputSize(inputSize).optDropout(dropout).optFrom(from == null ? null : from.toString())
                .optRankingFrom(rankingFrom).optLossWeights(degradationWeight, rankingWeight)
                .optOptimiser(training.optimiser())
                .optRun(training.run(0))
                .build();
    }

    /** The defaults, read from {@link PretrainingConfig#reference}. */
    static final class Defaults extends OptionDefaults {
        private static final PretrainingConfig REFERENCE = PretrainingConfig.reference(".");

        Defaults() {
            super(OptimiserRunOptions.defaults(REFERENCE.optimiser(), REFERENCE.run()), Map.of(
                    "--images", REFERENCE.data().images(),
                    "--subset", REFERENCE.data().subset(),
                    "--operations", REFERENCE.data().operations(),
                    "--val-images", REFERENCE.data().valImages(),
                    "--threads", REFERENCE.data().threads(),
                    "--input-size", REFERENCE.model().inputSize(),
                    "--dropout", REFERENCE.model().dropout(),
                    "--ranking-from", REFERENCE.losses().rankingFrom(),
                    "--degradation-weight", REFERENCE.losses().degradationWeight(),
                    "--ranking-weight", REFERENCE.losses().rankingWeight()));
        }
    }
}
