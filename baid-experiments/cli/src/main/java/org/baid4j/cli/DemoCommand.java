package org.baid4j.cli;

import org.baid4j.studies.GabPretrainingExperiment;
import org.baid4j.studies.PaintedArtworksDemo;
import org.baid4j.training.saan.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code baid demo}: the whole pipeline on painted artworks, no download, no weights. */
@Command(name = "demo", header = "Train and evaluate SAAN on painted artworks: no download, minutes on a CPU.", mixinStandardHelpOptions = true,
        description = {"Paint a small artwork set with degradations of known strength, train SAAN on it (64 px, CPU),",
                "evaluate on held-out paintings and print the table. No download, no weights needed."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "RUN_DIR", description = "The run folder (default: runs/demo-DATE-TIME).")
    Path out;

    @Option(names = "--epochs", description = "Training epochs (default: the demo's).")
    Integer epochs;

    @Option(names = "--pretrain", description = {"The GAB experiment instead: pretrain GAB on the paintings, then train",
            "SAAN with that GAB, a random GAB and without GAB, --seeds seeds each; OUT/experiment.md has the table.",
            "About 40 minutes on 2 cores; resumable (run it again with the same --out)."})
    boolean pretrain;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per arm of --pretrain (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--pretrain-epochs", description = "Pretraining epochs of --pretrain (default: the experiment's).")
    Integer pretrainEpochs;

    @Override
    public Integer call() throws Exception {
        Path runDir = out != null ? out
                : Path.of("runs", (pretrain ? "gab-experiment-" : "demo-")
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (pretrain) {
            return experiment(runDir);
        }
        PaintedArtworksDemo.Settings s = PaintedArtworksDemo.Settings.standard();
        if (epochs != null) {
            s = s.withEpochs(epochs);
        }
        System.err.printf("painting %d artworks, then training SAAN for %d epochs at %dx%d on %d threads%n",
                s.train() + s.val() + s.test(), s.epochs(), s.inputSize(), s.inputSize(), s.threads());
        long start = System.nanoTime();
        PaintedArtworksDemo.Result result = PaintedArtworksDemo.run(runDir, s, new EpochProgress());
        System.out.println(Evaluation.table("SAAN, painted artworks (test)", result.test()));
        System.out.println(Evaluation.line("test", result.test()));
        System.out.printf(Locale.ROOT, "run folder %s (%.1f minutes)%n", runDir, (System.nanoTime() - start) / 6e10);
        return 0;
    }

    private int experiment(Path dir) throws Exception {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        }
        GabPretrainingExperiment.Settings s = GabPretrainingExperiment.Settings.standard().withSeeds(seeds);
        if (epochs != null) {
            s = s.withDemo(s.demo().withEpochs(epochs));
        }
        if (pretrainEpochs != null) {
            if (pretrainEpochs < 1) {
                throw new IllegalArgumentException("--pretrain-epochs must be at least 1, got " + pretrainEpochs);
            }
            s = s.withPretrainEpochs(pretrainEpochs, Math.min(s.rankingFrom(), pretrainEpochs / 2));
        }
        System.err.printf("painting %d artworks, pretraining GAB for %d epochs, then SAAN x 3 arms x %d seeds%n",
                s.demo().train() + s.demo().val() + s.demo().test(), s.pretrainEpochs(), s.seeds());
        GabPretrainingExperiment.Result result = GabPretrainingExperiment.run(dir, s, new EpochProgress());
        System.out.print(java.nio.file.Files.readString(result.table()));
        System.out.println("experiment folder " + dir);
        return 0;
    }
}
