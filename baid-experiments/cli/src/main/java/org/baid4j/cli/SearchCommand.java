package org.baid4j.cli;

import org.baid4j.studies.PaintedArtworksDemo;
import org.baid4j.studies.SaanSweep;
import org.baid4j.studies.sweep.Sweep;
import org.baid4j.studies.sweep.SweepSettings;
import org.baid4j.studies.sweep.SweepSpace;
import org.baid4j.training.saan.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code baid search}: the reproduction study's hyperparameter search on Arbiter, TPE by default. */
@Command(name = "search", header = "Search SAAN's hyperparameters with Arbiter (TPE by default).", mixinStandardHelpOptions = true, defaultValueProvider = SearchCommand.Defaults.class,
        description = {"Search SAAN's hyperparameters (learning rate, head dropout, head activation by default) with",
                "Arbiter: every trial a training run in SWEEP/trials/NNN; trials.csv, best.json and report.md at the end.",
                "--demo searches on painted artworks at 64 px (no download); --resume SWEEP continues a sweep."})
public final class SearchCommand implements Callable<Integer> {
    /** The study's settings where the training defaults are not the sweep's. */
    static final class Defaults extends TrainingDefaults {
        @Override
        public String defaultValue(picocli.CommandLine.Model.ArgSpec arg) {
            if (arg instanceof picocli.CommandLine.Model.OptionSpec o) {
                switch (o.longestName()) {
                    case "--epochs":
                        return Integer.toString(SaanSweep.EPOCHS);
                    case "--trials":
                        return Integer.toString(SaanSweep.TRIALS);
                    case "--sampler":
                        return SaanSweep.SAMPLER;
                    case "--objective":
                        return SaanSweep.OBJECTIVE;
                    case "--startup-trials":
                        return Integer.toString(SaanSweep.STARTUP_TRIALS);
                    default:
                        break;
                }
            }
            return super.defaultValue(arg);
        }
    }

    /** A demo trial's epochs unless --epochs says. */
    static final int DEMO_EPOCHS = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", description = "The BAID root (not with --demo).")
    Path root;

    @Option(names = "--out", paramLabel = "SWEEP", description = "The sweep's folder to create.")
    Path out;

    @Option(names = "--resume", paramLabel = "SWEEP", description = "Continue this sweep (nothing else to give: its settings are its own).")
    Path resume;

    @Option(names = "--demo", description = "Search on painted artworks at 64 px from random backbones (no download);"
            + " 2 epochs a trial unless --epochs says.")
    boolean demo;

    @Option(names = "--trials", description = "Trials (default ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--sampler", description = "tpe, random, grid or genetic (default ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--objective", description = "val-srcc, val-plcc or val-mse, at each trial's best epoch (default ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--space", paramLabel = "JSON", description = "The search space (default: lr log [1e-6, 1e-3], dropout [0, 0.6],"
            + " head activation relu/leaky-relu/elu/gelu).")
    Path space;

    @Option(names = "--startup-trials", description = "TPE's random trials before it models (default ${DEFAULT-VALUE}, Optuna's).")
    int startupTrials;

    @Option(names = "--max-time", paramLabel = "DURATION", description = "Time budget of the whole sweep: 6h, 90m, 3600s (default: none).")
    String maxTime;

    @Mixin
    TrainingOptions options;

    @Override
    public Integer call() throws Exception {
        Sweep.Outcome outcome;
        if (resume != null) {
            RunTarget.refuseOnResume(spec, resume.resolve("sweep.json"), "--verbose can be given", Set.of());
            outcome = Sweep.resume(resume, System.err::println, new EpochProgress());
        } else {
            if (out == null) {
                throw new IllegalArgumentException("give --out SWEEP (or --resume SWEEP)");
            }
            if (demo == (root != null)) {
                throw new IllegalArgumentException(demo ? "--demo paints its own data: leave out --root" : "give --root DIR, or --demo");
            }
            SweepSpace searchSpace = space != null ? SweepSpace.read(space) : SweepSpace.studyDefault();
            long maxSeconds = maxTime == null ? 0 : seconds(maxTime);
            SweepSettings.check(sampler, objective, trials, maxSeconds, startupTrials);
            Sweep.refuseExisting(out);   // before --demo paints into it
            TrainingConfig base;
            if (demo) {
                demoDefaults();
                base = options.config(SaanSweep.demoRoot(out).toAbsolutePath(), "full", null);
            } else {
                base = options.config(root, "full", null);
            }
            SweepSettings settings = new SweepSettings(base, searchSpace.toJson(), sampler, objective, trials,
                    options.training.seed, maxSeconds, startupTrials);
            outcome = Sweep.start(settings, out, System.err::println, new EpochProgress());
        }
        if (outcome.best() == null) {
            System.out.println("no trial completed; see " + outcome.dir().resolve("report.md"));
            return 1;
        }
        System.out.printf(Locale.ROOT, "best: trial %d, %s: %.4f; %s, %s, %s%n", outcome.best().number(),
                outcome.best().parameters(), outcome.best().objective(), outcome.dir().resolve("trials.csv"),
                outcome.dir().resolve("best.json"), outcome.dir().resolve("report.md"));
        return 0;
    }

    /**
     * --demo's settings (the painted-artworks demo's, {@value #DEMO_EPOCHS} epochs a trial, random
     * backbones, a validation and a checkpoint every epoch) for the training options not given;
     * those given apply as in any search.
     */
    private void demoDefaults() {
        PaintedArtworksDemo.Settings d = PaintedArtworksDemo.Settings.standard();
        picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption("--input-size")) {
            options.inputSize = d.inputSize();
        }
        if (!given.hasMatchedOption("--dropout")) {
            options.dropout = d.dropout();
        }
        if (!given.hasMatchedOption("--head-activation")) {
            options.headActivation = d.headActivation();
        }
        if (!given.hasMatchedOption("--lr")) {
            options.training.lr = d.learningRate();
        }
        if (!given.hasMatchedOption("--batch")) {
            options.training.batch = d.batch();
        }
        if (!given.hasMatchedOption("--seed")) {
            options.training.seed = d.seed();
        }
        if (!given.hasMatchedOption("--epochs")) {
            options.training.epochs = DEMO_EPOCHS;
        }
        if (!given.hasMatchedOption("--validate-every")) {
            options.training.validateEvery = 1;
        }
        if (!given.hasMatchedOption("--checkpoint-every")) {
            options.training.checkpointEvery = 1;
        }
        if (!given.hasMatchedOption("--patience")) {
            options.patience = 0;
        }
        if (!given.hasMatchedOption("--vgg") && !given.hasMatchedOption("--resnet") && !given.hasMatchedOption("--pretrained")) {
            options.randomBackbones = true;
        }
    }

    static long seconds(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long seconds;
        try {
            if (t.endsWith("h")) {
                seconds = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1))).toSeconds();
            } else if (t.endsWith("m")) {
                seconds = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1))).toSeconds();
            } else {
                seconds = Long.parseLong(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-time takes a duration such as 6h, 90m or 3600s, not '" + text + "'");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("--max-time " + text + " is longer than this machine can count; give at most "
                    + MAX_HOURS + "h");
        }
        if (seconds <= 0) {
            throw new IllegalArgumentException("--max-time takes a duration above 0 (leave it out for no limit), not '" + text + "'");
        }
        if (seconds > MAX_HOURS * 3600) {
            throw new IllegalArgumentException("--max-time " + text + " is longer than this machine can count; give at most "
                    + MAX_HOURS + "h");
        }
        return seconds;
    }

    /** A year: long enough for any sweep, short enough that deadlines in milliseconds do not overflow. */
    static final long MAX_HOURS = 24 * 366;
}
