package org.baid4j.experiments.cli;

import org.baid4j.core.optim.LearningRateSchedule;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.experiments.engine.RunSettings;
import org.baid4j.experiments.engine.TrainingListener;
import org.baid4j.experiments.engine.TrainingResult;
import org.baid4j.experiments.pretraining.PretrainingConfig;
import org.baid4j.experiments.studies.GabPretrainingStudy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code baid pretrain}: GAB's self-supervised pretraining with the reference's settings as defaults. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, defaultValueProvider = PretrainCommand.Defaults.class,
        description = {"Pretrain GAB's ResNet-50 without labels, as the reference does: tell which of 30 degradations",
                "was applied (and, from --ranking-from on, place stronger ones farther from the original).",
                "Run folder: config.json, metrics.csv, train.log, checkpoints, best.zip (best validation accuracy),",
                "report.md, operations.csv. best.zip feeds 'baid train --pretrained'. --resume RUN_DIR continues a run."})
public final class PretrainCommand implements Callable<Integer> {

    static final class Start {
        @Option(names = "--root", required = true, paramLabel = "DIR", description = "The BAID root.")
        Path root;

        @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "The run folder to create.")
        Path out;
    }

    static final class Mode {
        @ArgGroup(exclusive = false)
        Start start;

        @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue this run from its last checkpoint.")
        Path resume;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

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

    @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--beta1", description = "Adam's beta1 (default ${DEFAULT-VALUE}).")
    double beta1;

    @Option(names = "--beta2", description = "Adam's beta2 (default ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--weight-decay", description = "Coupled L2 (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", description = "step (the reference's), constant or cosine (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", description = "Seed of initialisation, operations drawn, shuffles, renderings (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validate-every", description = "Epochs between validations (default ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--checkpoint-every", description = "Epochs between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Override
    public Integer call() throws Exception {
        TrainingListener progress = new EpochProgress();
        TrainingResult result = mode.resume != null
                ? GabPretrainingStudy.resume(mode.resume, progress)
                : GabPretrainingStudy.run(config(mode.start.root), mode.start.out, progress);
        System.out.printf(Locale.ROOT, "best validation accuracy %.4f (epoch %d, chance %.4f); run folder %s%n",
                result.best(), result.bestEpoch(), 1.0 / 30, result.runDir());
        return 0;
    }

    PretrainingConfig config(Path root) {
        return new PretrainingConfig(
                new PretrainingConfig.Data(root.toAbsolutePath().toString(), images, subset,
                        isFile(operations) ? Path.of(operations).toAbsolutePath().toString() : operations, !noJpeg,
                        valImages, skipMissing, threads),
                new PretrainingConfig.Model(inputSize, dropout, from == null ? null : from.toAbsolutePath().toString()),
                new PretrainingConfig.Losses(rankingFrom, degradationWeight, rankingWeight),
                new OptimiserConfig(lr, beta1, beta2, OptimiserConfig.reference().epsilon(), weightDecay,
                        LearningRateSchedule.parse(schedule)),
                new RunSettings(epochs, batch, seed, validateEvery, checkpointEvery, 0));
    }

    private static boolean isFile(String operations) {
        return !operations.equals(PretrainingConfig.AUTO) && !operations.equals(PretrainingConfig.BAID)
                && !operations.equals(PretrainingConfig.DRAWN);
    }

    /** The defaults, read from {@link PretrainingConfig#reference}. */
    static final class Defaults implements IDefaultValueProvider {
        private static final PretrainingConfig REFERENCE = PretrainingConfig.reference("");
        private static final Map<String, Object> DEFAULTS = Map.ofEntries(
                Map.entry("--images", REFERENCE.data().images()),
                Map.entry("--subset", REFERENCE.data().subset()),
                Map.entry("--operations", REFERENCE.data().operations()),
                Map.entry("--val-images", REFERENCE.data().valImages()),
                Map.entry("--threads", REFERENCE.data().threads()),
                Map.entry("--input-size", REFERENCE.model().inputSize()),
                Map.entry("--dropout", REFERENCE.model().dropout()),
                Map.entry("--ranking-from", REFERENCE.losses().rankingFrom()),
                Map.entry("--degradation-weight", REFERENCE.losses().degradationWeight()),
                Map.entry("--ranking-weight", REFERENCE.losses().rankingWeight()),
                Map.entry("--lr", REFERENCE.optimiser().learningRate()),
                Map.entry("--beta1", REFERENCE.optimiser().beta1()),
                Map.entry("--beta2", REFERENCE.optimiser().beta2()),
                Map.entry("--weight-decay", REFERENCE.optimiser().weightDecay()),
                Map.entry("--schedule", REFERENCE.optimiser().schedule().label()),
                Map.entry("--epochs", REFERENCE.run().epochs()),
                Map.entry("--batch", REFERENCE.run().batch()),
                Map.entry("--seed", REFERENCE.run().seed()),
                Map.entry("--validate-every", REFERENCE.run().validateEvery()),
                Map.entry("--checkpoint-every", REFERENCE.run().checkpointEvery()));

        @Override
        public String defaultValue(ArgSpec arg) {
            if (arg instanceof OptionSpec option) {
                Object v = DEFAULTS.get(option.longestName());
                return v == null ? null : String.valueOf(v);
            }
            return null;
        }
    }
}
