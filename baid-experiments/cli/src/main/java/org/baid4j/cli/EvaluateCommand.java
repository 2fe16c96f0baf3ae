package org.baid4j.cli;

import org.baid4j.data.baid.BaidSplit;
import org.baid4j.studies.SaanEvaluation;
import org.baid4j.training.saan.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code baid evaluate}: a model on a BAID split, with the reference's metrics and honest company. */
@Command(name = "evaluate", header = "Evaluate a model on a BAID split: SRCC, PLCC, accuracy, intervals.", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on a BAID split: SRCC, PLCC, accuracy at 5 with the majority-class baseline",
                "and balanced accuracy, MAE, RMSE, bootstrap 95%% intervals. Writes OUT/result.csv and OUT/summary.json."})
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

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        BaidSplit s = BaidSplit.parse(split);
        Path outDir = out != null ? out : Path.of("evaluation-" + s.label());
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("--out " + outDir + " is a file; it names the folder for result.csv,"
                    + " summary.json and report.md");
        }
        SaanEvaluation.Settings settings = new SaanEvaluation.Settings(s, subset, seed, skipMissing, batch,
                threads != null ? threads : Runtime.getRuntime().availableProcessors(), bootstrap, inputSize);
        Progress[] bar = new Progress[1];
        Evaluation.Outcome outcome;
        try {
            outcome = SaanEvaluation.run(model, root, outDir, settings, images -> {
                bar[0] = Progress.start("evaluating " + s.label(), images);
                return bar[0]::step;
            });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        System.out.println(Evaluation.line(s.label(), outcome.summary()));
        System.out.println("wrote " + outDir.resolve("result.csv") + ", " + outDir.resolve("summary.json") + " and "
                + outDir.resolve("report.md"));
        return 0;
    }
}
