package org.baid4j.cli;

import org.baid4j.core.model.HeadActivation;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.training.engine.RunSettings;
import org.baid4j.training.saan.TrainingConfig;
import org.baid4j.weights.TorchvisionWeights;
import picocli.CommandLine.Mixin;
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

    @Mixin
    OptimiserRunOptions training;

    @Option(names = "--subset", paramLabel = "FRACTION|COUNT", description = "A stratified subset of the splits (default: all).")
    String subset;

    @Option(names = "--pretrained", paramLabel = "FILE", description = "The pretraining checkpoint into GAB and SAB's ResNet.")
    Path pretrained;

    @Option(names = "--resnet", paramLabel = "FILE|auto", description = "torchvision's resnet50 state_dict into GAB and"
            + " SAB's ResNet; auto: the one 'baid fetch-weights resnet50' cached.")
    String resnet;

    @Option(names = "--vgg", paramLabel = "FILE|auto", description = "torchvision's vgg19 state_dict into the style"
            + " encoder; auto: the one 'baid fetch-weights vgg19' cached.")
    String vgg;

    @Option(names = "--random-backbones", description = "Train without backbone weights (recorded in config.json).")
    boolean randomBackbones;

    @Option(names = "--skip-missing", description = "Train on the images present; say how many were left out.")
    boolean skipMissing;

    @Option(names = "--cache", description = "Read images through the decoded cache (built on first use).")
    boolean cache;

    @Option(names = "--threads", description = "Decoding threads (default: the number of cores, ${DEFAULT-VALUE} here).")
    int threads;

    @Option(names = "--patience", description = "Stop after this many validations without a better SRCC; 0: off"
            + " (default ${DEFAULT-VALUE}).")
    int patience;

    /** The run these options describe, for a variant and an optional starting checkpoint. */
    TrainingConfig config(Path root, String variant, Path from) {
        RunSettings run = training.run(patience);
        return TrainingConfig.builder().setRoot(root)
                .optSubset(subset).optSkipMissing(skipMissing).optCache(cache).optThreads(threads)
                .optNetwork(new SaanConfig(SaanVariant.parse(variant), inputSize, dropout, HeadActivation.parse(headActivation),
                        run.seed()))
                .optFrom(str(from)).optPretrained(str(pretrained))
                .optResNet(str(TorchvisionWeights.resolve("--resnet", resnet, TorchvisionWeights.Backbone.RESNET50)))
                .optVgg(str(TorchvisionWeights.resolve("--vgg", vgg, TorchvisionWeights.Backbone.VGG19)))
                .optRandomBackbones(randomBackbones)
                .optOptimiser(training.optimiser())
                .optRun(run)
                .build();
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }
}
