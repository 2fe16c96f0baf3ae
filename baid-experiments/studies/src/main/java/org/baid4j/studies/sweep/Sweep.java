package org.baid4j.studies.sweep;

import org.baid4j.core.io.FolderKind;
import org.baid4j.core.io.FolderLock;
import org.baid4j.core.io.OutputFile;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.saan.BaidSplits;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A hyperparameter sweep of SAAN on Arbiter's own machinery: a {@link CandidateGenerator} (TPE or
 * one of Arbiter's), {@link LocalOptimizationRunner} with termination conditions (the trial count,
 * the time budget), and {@link SaanTrials} as the task creator, every trial a training run through
 * the engine. SWEEP/sweep.json holds the settings, state.json every trial as it starts and ends;
 * {@link #resume} replays the finished trials into a new generator (so that it proposes what an
 * uninterrupted sweep would), finishes an interrupted trial from its last checkpoint, and goes on.
 */
public final class Sweep {
    /** What a sweep ended with. */
    public record Outcome(Path dir, List<SweepTrial> trials, SweepTrial best) {
    }

    private Sweep() {
    }

    /** A new sweep in {@code dir}; refused (nothing written) where it holds one already or the settings do not hold. */
    public static Outcome start(SweepSettings settings, Path dir, Consumer<String> progress, TrainingListener... listeners)
            throws IOException {
        refuseExisting(dir);
        try (FolderLock lock = FolderLock.acquire(dir);
             BaidSplits splits = BaidSplits.open(settings.base())) {   // validated once, for every trial
            refuseExisting(dir);
            OutputFile.write(dir.resolve("sweep.json"), RunDirectory.JSON.writeValueAsBytes(settings));
            return run(settings, dir, SweepState.create(dir), splits, progress, listeners);
        }
    }

    /** Refuses a folder that holds a sweep already: a new sweep never starts over an old one. */
    public static void refuseExisting(Path dir) {
        FolderKind.refuseOther(dir, FolderKind.SWEEP, "--out");
        if (Files.exists(dir.resolve("sweep.json"))) {
            throw new IllegalArgumentException(dir + " already holds a sweep: use --resume " + dir + ", or another --out");
        }
    }

    /** Continues the sweep in {@code dir}. */
    public static Outcome resume(Path dir, Consumer<String> progress, TrainingListener... listeners) throws IOException {
        SweepSettings settings = settings(dir);
        try (FolderLock lock = FolderLock.acquire(dir);
             BaidSplits splits = BaidSplits.open(settings.base())) {
            SweepState state = SweepState.read(dir);
            return run(settings, dir, state, splits, progress, listeners);
        }
    }

    /** The settings a sweep folder was made with; a folder that is not a sweep is an error naming it. */
    public static SweepSettings settings(Path dir) throws IOException {
        Path file = dir.resolve("sweep.json");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(dir + ": not a sweep (no sweep.json)");
        }
        return RunDirectory.readJson(file, SweepSettings.class);
    }

    private static Outcome run(SweepSettings settings, Path dir, SweepState state, BaidSplits splits,
                               Consumer<String> progress, TrainingListener... listeners) throws IOException {
        SweepObjective objective = settings.sweepObjective();
        CandidateGenerator generator = Samplers.create(settings.sampler(), settings.searchSpace().arbiterSpace(), objective,
                settings.seed(), settings.startupTrials());
        Consumer<SweepTrial> finished = t -> progress.accept(line(settings, state, t));
        SaanTrials trials = new SaanTrials(dir, settings, splits, state, finished, listeners);

        // Replay the finished trials: the generator proposes them again, and learns their results.
        List<SweepTrial> done = state.trials();
        for (SweepTrial t : done) {
            Candidate c = generator.getCandidate();
            if (!Arrays.equals(c.getFlatParameters(), t.unit())) {
                throw new IllegalStateException(dir + ": trial " + t.number() + " of state.json is not what the "
                        + settings.sampler() + " sampler proposes with these settings: the sweep's files disagree");
            }
            if (t.complete()) {
                generator.reportResults(result(c, t));
            } else if (SweepState.RUNNING.equals(t.status())) {
                progress.accept("finishing trial " + t.number() + " from its last checkpoint");
                trials.evaluate(c);
                SweepTrial finishedTrial = state.trials().get(t.number());
                if (finishedTrial.complete()) {
                    generator.reportResults(result(c, finishedTrial));
                }
            }
        }
        int remaining = settings.trials() - state.trials().size();
        long budget = settings.maxSeconds() == 0 ? Long.MAX_VALUE : settings.maxSeconds() - (long) state.seconds();
        if (remaining > 0 && budget > 0) {
            List<TerminationCondition> stop = new ArrayList<>(List.of(new MaxCandidatesCondition(remaining)));
            if (settings.maxSeconds() > 0) {
                stop.add(new MaxTimeCondition(budget, TimeUnit.SECONDS));
            }
            stop.add(new StoppedByTheMachine(trials));
            OptimizationConfiguration config = new OptimizationConfiguration.Builder().candidateGenerator(generator)
                    .scoreFunction(objective).terminationConditions(stop).build();
            new LocalOptimizationRunner(config, trials).execute();
        }
        if (trials.stopped() != null) {
            throw trials.stopped();
        }
        List<SweepTrial> all = state.trials();
        if (all.size() < settings.trials() && settings.maxSeconds() > 0 && state.seconds() >= settings.maxSeconds() - 1) {
            progress.accept(String.format(Locale.ROOT, "the time budget (%s) ran out after %d of %d trials; the results"
                    + " cover those", budgetText(settings.maxSeconds()), all.size(), settings.trials()));
        }
        SweepResults.write(dir, settings, all);
        return new Outcome(dir, all, SweepResults.best(all, objective));
    }

    /** Ends the sweep once a trial has stopped on the machine's account (a full disk). */
    private record StoppedByTheMachine(SaanTrials trials) implements TerminationCondition {
        @Override
        public void initialize(org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner runner) {
        }

        @Override
        public boolean terminate(org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner runner) {
            return trials.stopped() != null;
        }
    }

    static String budgetText(long seconds) {
        return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private static OptimizationResult result(Candidate c, SweepTrial t) {
        CandidateInfo info = new CandidateInfo(t.number(), CandidateStatus.Complete, t.objective(), 0, 0L, 0L, t.unit(), null);
        return new OptimizationResult(c, t.objective(), t.number(), null, info, null);
    }

    /** One line per trial: its values and result, the best so far, and the time left at this pace. */
    private static String line(SweepSettings settings, SweepState state, SweepTrial t) {
        SweepObjective objective = settings.sweepObjective();
        SweepTrial best = SweepResults.best(state.trials(), objective);
        int done = state.trials().size();
        double perTrial = state.seconds() / Math.max(1, done);
        String result = t.complete() ? String.format(Locale.ROOT, "%s %.4f", objective.label(), t.objective())
                : "failed: " + t.reason();
        String bestSoFar = best == null ? "none yet" : String.format(Locale.ROOT, "%.4f (trial %d)", best.objective(), best.number());
        return String.format(Locale.ROOT, "trial %d (%d of %d): %s: %s; best %s; %.1f min; about %.0f min left",
                t.number(), done, settings.trials(), SweepResults.describe(t.parameters()), result, bestSoFar, t.seconds() / 60,
                perTrial * (settings.trials() - done) / 60);
    }
}
