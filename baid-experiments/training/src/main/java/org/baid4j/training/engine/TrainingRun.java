package org.baid4j.training.engine;

import org.baid4j.core.model.TrainableNetwork;

import java.util.ArrayList;
import java.util.List;

/** A run in progress, as listeners see it: its folder, task, network, the best so far and the epochs done. */
public final class TrainingRun<M extends TrainableNetwork> {
    private final RunDirectory dir;
    private final TrainingTask<M> task;
    private final M model;
    private final List<EpochMetrics> history;
    private double best;
    private int bestEpoch;
    private String stopReason;

    TrainingRun(RunDirectory dir, TrainingTask<M> task, M model, List<EpochMetrics> history, double best, int bestEpoch) {
        this.dir = dir;
        this.task = task;
        this.model = model;
        this.history = new ArrayList<>(history);
        this.best = best;
        this.bestEpoch = bestEpoch;
    }

    public RunDirectory dir() {
        return dir;
    }

    public TrainingTask<M> task() {
        return task;
    }

    public M model() {
        return model;
    }

    public RunSettings settings() {
        return task.run();
    }

    /** Every finished epoch's metrics, those before a resume included. */
    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    void finished(EpochMetrics m) {
        history.add(m);
    }

    /** The best value of the task's objective so far (NaN before the first validation). */
    public double best() {
        return best;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    /** Records a new best; the validation listener calls it. */
    public void newBest(double value, int epoch) {
        best = value;
        bestEpoch = epoch;
    }

    /** Ends the run after the current epoch's listeners (early stopping), for {@code reason}, which the result carries. */
    public void requestStop(String reason) {
        stopReason = reason;
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    /** Why the run stops before its last epoch; null while it does not. */
    public String stopReason() {
        return stopReason;
    }
}
