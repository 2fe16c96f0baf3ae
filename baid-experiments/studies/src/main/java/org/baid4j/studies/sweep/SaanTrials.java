package org.baid4j.studies.sweep;

import org.baid4j.core.io.OutOfSpaceException;
import org.baid4j.training.engine.EpochEnd;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.TrainingEngine;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.engine.TrainingRun;
import org.baid4j.training.report.ReportListener;
import org.baid4j.training.saan.BaidSplits;
import org.baid4j.training.saan.SaanTraining;
import org.baid4j.training.saan.TrainingConfig;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.baid4j.tuning.CandidateTasks;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Arbiter's task creator for a sweep: each candidate is one SAAN training run through the
 * engine, in SWEEP/trials/NNN (what {@code baid train} writes), on splits validated once for the
 * sweep; its score is the objective at its best epoch. A trial whose run throws or diverges is
 * recorded as failed with its reason, and the sweep goes on; a full disk is the machine's failure,
 * not the trial's: the trial stays running in state.json ({@link #stopped}) and the sweep stops, to
 * finish it from its last checkpoint on --resume.
 */
final class SaanTrials extends CandidateTasks {
    private final Path sweep;
    private final SweepSettings settings;
    private final BaidSplits splits;
    private final SweepState state;
    private final Consumer<SweepTrial> finished;
    private final TrainingListener[] listeners;
    private volatile OutOfSpaceException stopped;

    SaanTrials(Path sweep, SweepSettings settings, BaidSplits splits, SweepState state, Consumer<SweepTrial> finished,
               TrainingListener... listeners) {
        this.sweep = sweep;
        this.settings = settings;
        this.splits = splits;
        this.state = state;
        this.finished = finished;
        this.listeners = listeners;
    }

    /** The full disk that stopped the sweep, or null. */
    OutOfSpaceException stopped() {
        return stopped;
    }

    static Path trialDir(Path sweep, int number) {
        return sweep.resolve("trials").resolve(String.format("%03d", number));
    }

    /** Runs (or, when its folder holds an interrupted run, finishes) one trial. */
    @Override
    @SuppressWarnings("unchecked")
    protected OptimizationResult evaluate(Candidate candidate) throws java.io.IOException {
        int number = candidate.getIndex();
        Map<String, Object> parameters = (Map<String, Object>) candidate.getValue();
        Path dir = trialDir(sweep, number);
        String relative = sweep.relativize(dir).toString();
        double previous = state.trials().size() > number ? state.trials().get(number).seconds() : 0;
        state.put(new SweepTrial(number, parameters, candidate.getFlatParameters(), SweepState.RUNNING, Double.NaN, -1,
                previous, null, relative));
        long start = System.currentTimeMillis();
        SweepObjective objective = settings.sweepObjective();
        SweepTrial done;
        Double score = null;
        String failure = null;
        try {
            TrainingConfig config = SweepSpace.apply(settings.base(), parameters);
            TrainingResult result;
            try (SaanTraining task = new SaanTraining(config, splits)) {
                TrainingEngine engine = TrainingEngine.standard(config.run(), new Divergence(),
                        new ReportListener("Sweep trial " + number)).with(listeners);
                result = new RunDirectory(dir).holdsRun() ? engine.resume(task, dir) : engine.start(task, dir);
            }
            double value = objective.of(result.epochs());
            if (Double.isNaN(value)) {
                throw new IllegalStateException("no finite " + objective.metric() + " in any validated epoch");
            }
            score = value;
            done = new SweepTrial(number, parameters, candidate.getFlatParameters(), SweepState.COMPLETE, value,
                    objective.bestEpoch(result.epochs()), previous + (System.currentTimeMillis() - start) / 1e3, null, relative);
        } catch (OutOfSpaceException e) {
            stopped = e;   // state.json keeps the trial running
            return new OptimizationResult(candidate, null, number, null, new CandidateInfo(number, CandidateStatus.Failed,
                    null, start, start, System.currentTimeMillis(), candidate.getFlatParameters(), e.getMessage()), null);
        } catch (Exception | OutOfMemoryError e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            done = new SweepTrial(number, parameters, candidate.getFlatParameters(), SweepState.FAILED, Double.NaN, -1,
                    previous + (System.currentTimeMillis() - start) / 1e3, failure, relative);
        }
        state.put(done);
        finished.accept(done);
        CandidateInfo info = new CandidateInfo(number, score != null ? CandidateStatus.Complete : CandidateStatus.Failed,
                score, start, start, System.currentTimeMillis(), candidate.getFlatParameters(), failure);
        return new OptimizationResult(candidate, score, number, null, info, null);
    }

    /** A run whose training loss stops being a number has failed: it ends there. */
    static final class Divergence implements TrainingListener {
        @Override
        public void onEpochEnd(TrainingRun<?> run, EpochEnd epoch) {
            double loss = epoch.metrics().trainLoss();
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("training diverged: loss " + loss + " in epoch " + epoch.epoch());
            }
        }
    }
}
