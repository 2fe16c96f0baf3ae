package org.baid4j.training.engine;

import org.baid4j.core.plan.TrainingLoss;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.Iterator;

/**
 * How one epoch's batches are fitted into the graph: in this process batch by batch
 * ({@link #LOCAL}), by {@link ParallelWrapperFit}'s replicas on this machine, or by a Spark
 * cluster (module baid-spark). The engine around it (run folder, checkpoints, resume,
 * validation, listeners) is the same whatever the strategy.
 */
public interface FitStrategy extends AutoCloseable {

    /**
     * Fits {@code batches} in order. {@code ownStep} is the task's own step when its loss lives
     * outside the graph ({@link TrainingTask#stepsItself}; only when {@link #runsOwnSteps}), else null; each optimiser step (or
     * averaging round) goes to {@code steps} with the examples it saw.
     */
    void fitEpoch(ComputationGraph graph, Iterator<MultiDataSet> batches, OwnStep ownStep, Steps steps);

    /** What this strategy is, for train.log. */
    String describe();

    /** Whether it can run a task's own step; a distributed strategy trains the loss the graph's output layers hold. */
    default boolean runsOwnSteps() {
        return false;
    }

    /** Refuses an epoch of {@code batchesPerEpoch} batches this strategy cannot train as asked (before the first). */
    default void checkEpoch(int batchesPerEpoch) {
    }

    @Override
    default void close() {
    }

    /** A task's own optimiser step on one batch. */
    interface OwnStep {
        StepResult step(MultiDataSet batch);
    }

    /**
     * Where a strategy reports its steps: the engine sums them into the epoch and tells its
     * listeners (whose write failures come back as {@link java.io.UncheckedIOException}).
     */
    interface Steps {
        void done(StepResult step, int examples);
    }

    /** This process, batch by batch: {@code graph.fit(batch)}, or the task's own step. */
    FitStrategy LOCAL = new FitStrategy() {
        @Override
        public void fitEpoch(ComputationGraph graph, Iterator<MultiDataSet> batches, OwnStep ownStep, Steps steps) {
            while (batches.hasNext()) {
                MultiDataSet batch = batches.next();
                StepResult step = ownStep != null ? ownStep.step(batch) : StepResult.loss(TrainingLoss.fit(graph, batch));
                steps.done(step, examples(batch));
            }
        }

        @Override
        public String describe() {
            return "local";
        }

        @Override
        public boolean runsOwnSteps() {
            return true;
        }
    };

    static int examples(MultiDataSet batch) {
        return (int) batch.getFeatures(0).size(0);
    }
}
