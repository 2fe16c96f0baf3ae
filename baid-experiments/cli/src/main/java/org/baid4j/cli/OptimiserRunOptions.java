package org.baid4j.cli;

import org.baid4j.core.optim.LearningRateSchedule;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.training.engine.RunSettings;
import picocli.CommandLine.Option;

import java.util.Map;

/** The optimiser's and the run's options every training command has; each command's defaults provider fills them. */
final class OptimiserRunOptions {
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

    @Option(names = "--seed", description = "Seed of initialisation, shuffles, subsets, dropout (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validate-every", description = "Epochs between validations (default ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--checkpoint-every", description = "Epochs between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    OptimiserConfig optimiser() {
        return new OptimiserConfig(lr, beta1, beta2, OptimiserConfig.reference().epsilon(), weightDecay,
                LearningRateSchedule.parse(schedule));
    }

    RunSettings run(int patience) {
        return new RunSettings(epochs, batch, seed, validateEvery, checkpointEvery, patience);
    }

    /** The defaults of these options, from a configuration's optimiser and run sections. */
    static Map<String, Object> defaults(OptimiserConfig optimiser, RunSettings run) {
        return Map.ofEntries(
                Map.entry("--lr", optimiser.learningRate()),
                Map.entry("--beta1", optimiser.beta1()),
                Map.entry("--beta2", optimiser.beta2()),
                Map.entry("--weight-decay", optimiser.weightDecay()),
                Map.entry("--schedule", optimiser.schedule().label()),
                Map.entry("--epochs", run.epochs()),
                Map.entry("--batch", run.batch()),
                Map.entry("--seed", run.seed()),
                Map.entry("--validate-every", run.validateEvery()),
                Map.entry("--checkpoint-every", run.checkpointEvery()),
                Map.entry("--patience", run.patience()));
    }
}
