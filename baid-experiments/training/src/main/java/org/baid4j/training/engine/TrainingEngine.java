package org.baid4j.training.engine;

import org.baid4j.core.io.FolderKind;
import org.baid4j.core.io.FolderLock;
import org.baid4j.core.model.TrainableNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one training loop: it runs any {@link TrainingTask} epoch by epoch, and everything around
 * the fit step (validation and the best model, metrics.csv, checkpoints, early stopping, reports,
 * progress, UIs) is a {@link TrainingListener}. {@link #standard} composes the ones every run
 * needs; {@link #resume} continues a run from its last checkpoint, updater state, epoch, best so
 * far and random state included, so that it ends where an uninterrupted run would.
 */
public final class TrainingEngine {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingEngine.class);

    private final List<TrainingListener> listeners;
    private final FitStrategy fit;

    public TrainingEngine(List<TrainingListener> listeners, FitStrategy fit) {
        this.listeners = List.copyOf(listeners);
        this.fit = fit;
    }

    /**
     * The engine with the listeners every run has, in this order: validation and best model, early
     * stopping (when {@code settings.patience() > 0}), metrics.csv, checkpoints (an early stop
     * gets one); then {@code more} (reports, progress, UIs), which see each epoch complete.
     */
    public static TrainingEngine standard(RunSettings settings, TrainingListener... more) {
        List<TrainingListener> all = new ArrayList<>(List.of(new ValidationListener()));
        if (settings.patience() > 0) {
            all.add(new EarlyStoppingListener(settings.patience()));
        }
        all.add(new MetricsListener());
        all.add(new CheckpointListener());
        all.addAll(List.of(more));
        return new TrainingEngine(all, FitStrategy.LOCAL);
    }

    /** This engine fitting each epoch with {@code strategy} instead (the caller closes it). */
    public TrainingEngine withFit(FitStrategy strategy) {
        return new TrainingEngine(listeners, strategy);
    }

    /** This engine with {@code more} listeners after its own. */
    public TrainingEngine with(TrainingListener... more) {
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.addAll(List.of(more));
        return new TrainingEngine(all, fit);
    }

    /** A new run of {@code task} in {@code runDir}, which must not hold one; the folder is locked while it runs. */
    public <M extends TrainableNetwork> TrainingResult start(TrainingTask<M> task, Path runDir) throws IOException {
        FolderKind.refuseOther(runDir, task.folderKind(), "--out");
        try (FolderLock lock = FolderLock.acquire(runDir)) {
            RunDirectory dir = new RunDirectory(runDir);
            if (dir.holdsRun() && dir.hasProgress()) {
                throw new IOException(runDir + " already holds a run: use --resume " + runDir + ", or another --out");
            }
            refuseOwnStepElsewhere(task);
            M model = task.newModel(dir);
            dir.writeConfig(task.config());
            dir.log("new run: " + task.config());
            dir.log("fit: " + fit.describe());
            return loop(new TrainingRun<>(dir, task, model, List.of(), Double.NaN, -1), 0);
        }
    }

    /**
     * Continues the run in {@code runDir} from its last checkpoint; {@code task} is the run's
     * configuration as config.json holds it, or with more epochs (written back before training).
     */
    public <M extends TrainableNetwork> TrainingResult resume(TrainingTask<M> task, Path runDir) throws IOException {
        RunDirectory dir = new RunDirectory(runDir);
        if (!dir.holdsRun()) {
            throw new IOException(runDir + ": no run here (no config.json)");
        }
        refuseOwnStepElsewhere(task);
        try (FolderLock lock = FolderLock.acquire(runDir)) {
            RunDirectory.Checkpoint last = dir.readCheckpointState();
            TrainingRun<M> run;
            int start;
            if (last == null) {
                LOG.info("{}: no checkpoint yet, starting over", runDir);
                dir.truncateMetrics(-1, task.metricColumns());
                run = new TrainingRun<>(dir, task, task.newModel(dir), List.of(), Double.NaN, -1);
                start = 0;
            } else {
                M model = task.load(runDir.resolve(last.model()));
                if (last.hasRandomState()) {
                    Nd4j.getRandom().setStates(last.randomRoot(), last.randomNode());
                }
                dir.truncateMetrics(last.epoch(), task.metricColumns());
                run = new TrainingRun<>(dir, task, model, dir.readMetrics(), last.best(), last.bestEpoch());
                start = last.epoch() + 1;
                LOG.info("{}: resuming after epoch {} (checkpoint {})", runDir, last.epoch(), last.model());
            }
            dir.writeConfig(task.config());
            dir.log("resumed at epoch " + start + " of " + task.run().epochs() + "; fit: " + fit.describe());
            return loop(run, start);
        }
    }

    private void refuseOwnStepElsewhere(TrainingTask<?> task) {
        if (task.stepsItself() && !fit.runsOwnSteps()) {
            throw new IllegalArgumentException(task.getClass().getSimpleName() + " computes its loss outside the network:"
                    + " it trains locally only, not with " + fit.describe());
        }
    }

    /** The epoch's losses and training metrics, weighted by examples. */
    private static final class EpochSums {
        double loss;
        long examples;
        final Map<String, Double> metrics = new LinkedHashMap<>();

        void add(StepResult step, int n) {
            loss += step.loss() * n;
            examples += n;
            step.metrics().forEach((name, value) -> metrics.merge(name, value * n, Double::sum));
        }

        Map<String, Double> means() {
            Map<String, Double> means = new LinkedHashMap<>();
            metrics.forEach((name, sum) -> means.put(name, sum / examples));
            return means;
        }
    }

    /** One epoch through the fit strategy; each step it reports goes to the sums and the listeners. */
    private <M extends TrainableNetwork> EpochSums fitEpoch(TrainingRun<M> run, EpochBatches batches, int epoch)
            throws IOException {
        TrainingTask<M> task = run.task();
        EpochSums sums = new EpochSums();
        FitStrategy.OwnStep own = task.stepsItself() ? batch -> task.step(run.model(), batch, epoch) : null;
        try {
            fit.fitEpoch(run.model().graph(), batches, own, (step, n) -> {
                synchronized (sums) {   // a strategy may report from its workers' threads
                    sums.add(step, n);
                    for (TrainingListener l : listeners) {
                        try {
                            l.onBatch(run, epoch, step.loss(), n);
                        } catch (IOException x) {
                            throw new UncheckedIOException(x);
                        }
                    }
                }
            });
        } catch (UncheckedIOException x) {
            throw x.getCause();
        }
        return sums;
    }

    private <M extends TrainableNetwork> TrainingResult loop(TrainingRun<M> run, int start) throws IOException {
        TrainingTask<M> task = run.task();
        ComputationGraph graph = run.model().graph();
        for (TrainingListener l : listeners) {
            l.onTrainingBegin(run);
        }
        try (EpochBatches batches = task.trainingBatches()) {
            fit.checkEpoch(batches.batchesPerEpoch());
            for (int epoch = start; epoch < task.run().epochs() && !run.stopRequested(); epoch++) {
                graph.getConfiguration().setEpochCount(epoch);   // the learning-rate schedule reads it
                batches.startEpoch(epoch);
                for (TrainingListener l : listeners) {
                    l.onEpochBegin(run, epoch, batches.batchesPerEpoch());
                }
                long t0 = System.nanoTime();
                EpochSums sums = fitEpoch(run, batches, epoch);
                graph.getConfiguration().setEpochCount(epoch + 1);
                EpochEnd end = new EpochEnd(epoch, sums.loss / sums.examples, task.learningRate(epoch),
                        (System.nanoTime() - t0) / 1e9, sums.examples, task.trainingMetrics(), task.validationMetrics());
                end.trained(sums.means());
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(run, end);
                }
                run.finished(end.metrics());
            }
        }
        TrainingResult result = new TrainingResult(run.dir().path(), run.dir().readMetrics(), task.objective(), run.best(),
                run.bestEpoch(), run.stopReason());
        for (TrainingListener l : listeners) {
            l.onTrainingEnd(run, result);
        }
        return result;
    }
}
