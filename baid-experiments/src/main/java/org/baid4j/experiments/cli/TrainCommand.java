package org.baid4j.experiments.cli;

import org.baid4j.experiments.Baid;
import org.baid4j.experiments.training.Trainer;
import org.baid4j.experiments.training.TrainingConfig;
import org.baid4j.experiments.training.TrainingResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code baid train}: retrain SAAN with the reference's settings as defaults; {@code --resume} continues a run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train SAAN on a BAID root (reference settings by default) into a run folder:",
                "config.json, metrics.csv, train.log, checkpoints, best.zip (best validation SRCC).",
                "--resume RUN_DIR continues a run from its last checkpoint."})
public final class TrainCommand implements Callable<Integer> {

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

    @Option(names = "--variant", defaultValue = "full", description = "full, without-gab, without-sab (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--lr", defaultValue = "1e-5", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "Coupled L2 (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--dropout", defaultValue = "0.5", description = "Head dropout (default ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--head-activation", defaultValue = "relu", description = "relu or leaky-relu (default ${DEFAULT-VALUE}).")
    String headActivation;

    @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialisation, shuffles, flips, subset (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--subset", defaultValue = "1.0", paramLabel = "FRACTION|COUNT",
            description = "A stratified subset of train and val (default: all).")
    String subset;

    @Option(names = "--input-size", defaultValue = "224", description = "Input side, a multiple of 32 (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--from", paramLabel = "FILE", description = "Start from a full SAAN checkpoint (.pth or DL4J).")
    Path from;

    @Option(names = "--pretrained", paramLabel = "FILE", description = "The pretraining checkpoint into GAB and SAB's ResNet.")
    Path pretrained;

    @Option(names = "--resnet", paramLabel = "FILE", description = "torchvision's resnet50 state_dict into GAB and SAB's ResNet.")
    Path resnet;

    @Option(names = "--vgg", paramLabel = "FILE", description = "torchvision's vgg19 state_dict into the style encoder.")
    Path vgg;

    @Option(names = "--random-backbones", description = "Train without backbone weights (recorded in config.json).")
    boolean randomBackbones;

    @Option(names = "--skip-missing", description = "Train on the images present; say how many were left out.")
    boolean skipMissing;

    @Option(names = "--cache", description = "Read images through the decoded cache (built on first use).")
    boolean cache;

    @Option(names = "--threads", description = "Decoding threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--ui", description = "Show DL4J's training UI (a web page) while training.")
    boolean ui;

    @Option(names = "--ui-port", defaultValue = "9000", description = "Port of the training UI (default ${DEFAULT-VALUE}).")
    int uiPort;

    @Option(names = "--validate-every", defaultValue = "2", description = "Epochs between validations (default ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--checkpoint-every", defaultValue = "2", description = "Epochs between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    public static void main(String... args) {
        System.exit(Baid.execute(ScoreCommand.prepend("train", args)));
    }

    @Override
    public Integer call() throws Exception {
        Trainer.Listener listener = ui ? TrainingUi.start(uiPort, new EpochProgress()) : new EpochProgress();
        TrainingResult result;
        if (mode.resume != null) {
            result = Trainer.resume(mode.resume, listener);
        } else {
            TrainingConfig config = new TrainingConfig(mode.start.root.toString(), variant, inputSize, lr, weightDecay,
                    dropout, headActivation, epochs, batch, seed, subset, str(from), str(pretrained), str(resnet), str(vgg),
                    randomBackbones, skipMissing, threads != null ? threads : Runtime.getRuntime().availableProcessors(),
                    cache, validateEvery, checkpointEvery);
            result = Trainer.train(config, mode.start.out, listener);
        }
        System.out.printf(Locale.ROOT, "best validation SRCC %.4f (epoch %d); run folder %s%n", result.bestValSrcc(),
                result.bestEpoch(), result.runDir());
        return 0;
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }
}
