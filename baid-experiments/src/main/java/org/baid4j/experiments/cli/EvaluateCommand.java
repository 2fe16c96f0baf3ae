package org.baid4j.experiments.cli;

import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.experiments.Baid;
import org.baid4j.experiments.report.RunReport;
import org.baid4j.experiments.training.Evaluation;
import org.baid4j.weights.SaanModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code baid evaluate}: a model on a BAID split, with the reference's metrics and honest company. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on a BAID split: SRCC, PLCC, accuracy at 5 with the majority-class baseline",
                "and balanced accuracy, MAE, RMSE, bootstrap 95% intervals. Writes OUT/result.csv and OUT/summary.json."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A SAAN checkpoint (.pth) or DL4J model file.")
    Path model;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The BAID root.")
    Path root;

    @Option(names = "--split", defaultValue = "test", description = "train, val or test (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", paramLabel = "DIR", description = "Where result.csv and summary.json go (default: evaluation-SPLIT).")
    Path out;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--input-size", defaultValue = "224", description = "Input side for a .pth model (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--subset", defaultValue = "1.0", description = "A stratified subset of the split (default: all).")
    String subset;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the subset and the bootstrap (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples (default ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--skip-missing", description = "Evaluate on the images present; say how many were left out.")
    boolean skipMissing;

    @Option(names = "--threads", description = "Decoding threads (default: the number of cores).")
    Integer threads;

    public static void main(String... args) {
        System.exit(Baid.execute(ScoreCommand.prepend("evaluate", args)));
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        BaidSplit s = BaidSplit.parse(split);
        BaidRoot baid = BaidRoot.open(root);
        BaidRoot.ValidatedSplit checked = baid.validate(s, SubsetSpec.parse(subset), seed, skipMissing);
        if (!checked.leftOut().isEmpty()) {
            System.err.printf("%d missing or broken images left out (--skip-missing)%n", checked.leftOut().size());
        }
        List<BaidLabel> labels = checked.usable();
        SaanModelFiles.Opened opened = SaanModelFiles.open(model, inputSize);
        Path outDir = out != null ? out : Path.of("evaluation-" + s.label());
        Files.createDirectories(outDir);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Evaluation.Outcome outcome;
        try (Progress progress = Progress.start("evaluating " + s.label(), labels.size())) {
            outcome = Evaluation.run(opened.model(), labels, new FileImages(baid.imagesDir(), opened.model().inputSize()),
                    batch, n, bootstrap, seed, outDir, progress::step);
        }
        RunReport.write(outDir, "Evaluation of " + model.getFileName(), java.util.List.of(),
                new RunReport.EvaluatedSplit(s.label(), model.getFileName().toString(), outcome.truth(),
                        outcome.predicted(), outcome.summary()));
        System.out.println(Evaluation.line(s.label(), outcome.summary()));
        System.out.println("wrote " + outDir.resolve("result.csv") + ", " + outDir.resolve("summary.json") + " and "
                + outDir.resolve("report.md"));
        return 0;
    }
}
