package org.baid4j.experiments.cli;

import org.baid4j.experiments.Baid;
import org.baid4j.experiments.training.Ablation;
import org.baid4j.experiments.training.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code baid ablation}: full, without GAB, without SAB under the same settings and seeds. */
@Command(name = "ablation", mixinStandardHelpOptions = true,
        description = {"Train full SAAN, without GAB and without SAB under the same settings and seeds, evaluate each",
                "on the test split and write OUT/ablation.md (mean and spread over seeds). Resumable."})
public final class AblationCommand implements Callable<Integer> {
    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The BAID root.")
    Path root;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The ablation's folder.")
    Path out;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs per run (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per variant (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "42", description = "First seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lr", defaultValue = "1e-5", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--input-size", defaultValue = "224", description = "Input side (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--subset", defaultValue = "1.0", description = "A stratified subset of every split (default: all).")
    String subset;

    @Option(names = "--pretrained", paramLabel = "FILE", description = "The pretraining checkpoint for the ResNets.")
    Path pretrained;

    @Option(names = "--resnet", paramLabel = "FILE", description = "torchvision's resnet50 for the ResNets.")
    Path resnet;

    @Option(names = "--vgg", paramLabel = "FILE", description = "torchvision's vgg19 for the style encoder.")
    Path vgg;

    @Option(names = "--random-backbones", description = "Train without backbone weights.")
    boolean randomBackbones;

    @Option(names = "--skip-missing", description = "Use the images present.")
    boolean skipMissing;

    @Option(names = "--cache", description = "Read images through the decoded cache.")
    boolean cache;

    public static void main(String... args) {
        System.exit(Baid.execute(ScoreCommand.prepend("ablation", args)));
    }

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        }
        TrainingConfig base = new TrainingConfig(root.toString(), "full", inputSize, lr, 5e-4, 0.5, "relu", epochs, batch,
                seed, subset, null, str(pretrained), str(resnet), str(vgg), randomBackbones, skipMissing,
                Runtime.getRuntime().availableProcessors(), cache, 2, 2);
        Ablation.run(base, out, seeds, new EpochProgress());
        System.out.print(java.nio.file.Files.readString(out.resolve("ablation.md")));
        return 0;
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }
}
