package org.baid4j.cli;

import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.ClusterFit;
import org.baid4j.training.engine.FitStrategy;
import org.baid4j.training.engine.ParallelWrapperFit;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.saan.TrainingConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code baid train}: retrain SAAN with the reference's settings as defaults; {@code --resume} continues a run. */
@Command(name = "train", header = "Train SAAN on a BAID root into a run folder, or resume a run.", mixinStandardHelpOptions = true, defaultValueProvider = TrainingDefaults.class,
        description = {"Train SAAN on a BAID root (reference settings by default) into a run folder:",
                "config.json, metrics.csv, train.log, checkpoints, best.zip (best validation SRCC), report.md.",
                "--resume RUN_DIR continues a run from its last checkpoint."})
public final class TrainCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    RunTarget mode;

    @Option(names = "--variant", description = "full, without-gab, without-sab (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--from", paramLabel = "FILE", description = "Start from a full SAAN checkpoint (.pth or DL4J).")
    Path from;

    @Mixin
    TrainingOptions options;

    @Option(names = "--ui", description = "Show DL4J's training UI (a web page) while training.")
    boolean ui;

    @Option(names = "--ui-port", defaultValue = "9000", description = "Port of the training UI (default ${DEFAULT-VALUE}).")
    int uiPort;

    @Option(names = "--workers", defaultValue = "1", description = {"Workers: with --spark, Spark executors' tasks;",
            "else, above 1, DL4J's ParallelWrapper replicas on this machine (default ${DEFAULT-VALUE}: local)."})
    int workers;

    @Option(names = "--averaging-frequency", defaultValue = "1", paramLabel = "K",
            description = "With several workers, average parameters and Adam's moments every K rounds (default ${DEFAULT-VALUE}).")
    int averagingFrequency;

    @Option(names = "--spark", paramLabel = "MASTER_URL",
            description = {"Train on a Spark cluster (spark://HOST:7077, local[N]) by DL4J's parameter averaging;",
                    "see the README for the cluster's settings."})
    String spark;

    @Option(names = "--spark-exchange", paramLabel = "DIR",
            description = "With --spark, the shared folder each round's batches go through (default: the run folder's spark-exchange).")
    Path sparkExchange;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainingListener[] listeners = ui ? new TrainingListener[]{TrainingUi.start(uiPort), new EpochProgress()}
                : new TrainingListener[]{new EpochProgress()};
        Path runDir = mode.resume != null ? mode.resume : mode.start.out;
        TrainingResult result;
        RunTarget.Resume resume = mode.resume == null ? null : mode.resumeChanges(spec, c -> TrainingConfig.read(c).run(),
                "--ui", "--ui-port", "--workers", "--averaging-frequency", "--spark", "--spark-exchange");
        TrainingConfig config = resume == null ? options.config(mode.start.root, variant, from) : null;
        try (FitStrategy fit = fitStrategy(runDir)) {
            result = resume != null
                    ? TrainingRuns.resume(mode.resume, resume.epochs(), resume.patience(), fit, listeners)
                    : TrainingRuns.train(config, mode.start.out, fit, listeners);
        }
        if (result.stoppedEarly() != null) {
            System.err.println("stopped early: " + result.stoppedEarly());
        }
        System.out.printf(Locale.ROOT, "best validation SRCC %.4f (epoch %d); run folder %s%n", result.best(),
                result.bestEpoch(), result.runDir());
        return 0;
    }

    /** Local, ParallelWrapper (--workers above 1) or a Spark cluster (--spark); how a run trains, not what: not in config.json. */
    private FitStrategy fitStrategy(Path runDir) {
        if (spark != null) {
            Path exchange = sparkExchange != null ? sparkExchange : runDir.resolve("spark-exchange");
            return ClusterFit.spark().connect(spark, workers, averagingFrequency, exchange.toAbsolutePath());
        }
        if (sparkExchange != null) {
            throw new IllegalArgumentException("--spark-exchange goes with --spark");
        }
        if (workers == 1 && averagingFrequency != 1) {
            throw new IllegalArgumentException("--averaging-frequency goes with --workers 2 or more, or --spark");
        }
        return workers > 1 ? new ParallelWrapperFit(workers, averagingFrequency) : FitStrategy.LOCAL;
    }
}
