package org.baid4j.experiments.cli;

import org.baid4j.core.optim.LearningRateSchedule;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.experiments.engine.RunSettings;
import org.baid4j.experiments.training.TrainingConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of a SAAN training run that train and ablation share; defaults come from {@link TrainingDefaults}. */
final class TrainingOptions {
    @Option(names = "--input-size", description = "Input side, a multiple of 32 (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--dropout", description = "Head dropout (default ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--head-activation", description = "relu, leaky-relu, elu or gelu (default ${DEFAULT-VALUE}).")
    String headActivation;

    @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--beta1", description = "Adam's beta1 (default ${DEFAULT-VALUE}).")
    double beta1;

    @Option(names = "--beta2", description = "Adam's beta2 (default ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--weight-decay", description = "Coupled L2 (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", description = "Learning-rate schedule: step (the reference's), constant or cosine"
            + " (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", description = "Seed of initialisation, shuffles, flips, subset, dropout (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--subset", paramLabel = "FRACTION|COUNT", description = "A stratified subset of the splits (default: all).")
    String subset;

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

    @Option(names = "--threads", description = "Decoding threads (default: the number of cores, ${DEFAULT-VALUE} here).")
    int threads;

    @Option(names = "--validate-every", description = "Epochs between validations (default ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--checkpoint-every", description = "Epochs between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--patience", description = "Stop after this many validations without a better SRCC; 0: off"
            + " (default ${DEFAULT-VALUE}).")
    int patience;

    /** The run these options describe, for a variant and an optional starting checkpoint. */
    TrainingConfig config(Path root, String variant, Path from) {
        return new TrainingConfig(
                new TrainingConfig.Data(root.toAbsolutePath().toString(), subset, skipMissing, cache, threads),
                new TrainingConfig.Model(variant, inputSize, dropout, headActivation, str(from), str(pretrained),
                        str(resnet), str(vgg), randomBackbones),
                new OptimiserConfig(lr, beta1, beta2, OptimiserConfig.reference().epsilon(), weightDecay,
                        LearningRateSchedule.parse(schedule)),
                new RunSettings(epochs, batch, seed, validateEvery, checkpointEvery, patience));
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }
}
