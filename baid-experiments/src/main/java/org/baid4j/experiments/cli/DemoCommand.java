package org.baid4j.experiments.cli;

import org.baid4j.experiments.studies.PaintedArtworksDemo;
import org.baid4j.experiments.training.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code baid demo}: the whole pipeline on painted artworks, no download, no weights. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Paint a small artwork set with degradations of known strength, train SAAN on it (64 px, CPU),",
                "evaluate on held-out paintings and print the table. No download, no weights needed."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "RUN_DIR", description = "The run folder (default: runs/demo-DATE-TIME).")
    Path out;

    @Option(names = "--epochs", description = "Training epochs (default: the demo's).")
    Integer epochs;

    @Override
    public Integer call() throws Exception {
        Path runDir = out != null ? out
                : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
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
}
