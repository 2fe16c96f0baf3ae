package org.baid4j.training.engine;

import org.baid4j.core.io.FolderKind;

import org.baid4j.core.model.TrainableNetwork;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the {@link TrainingEngine} trains: how to build or load the network, the batches of an
 * epoch (inputs and labels; the network's output layers hold the loss), the validation metrics
 * and which of them decides the best model. SAAN fine-tuning is one task; the pretraining of GAB
 * and a baseline are others. A task validates its data when it is made, before the engine writes
 * anything.
 *
 * @param <M> the network trained
 */
public interface TrainingTask<M extends TrainableNetwork> extends java.io.Closeable {

    /** The run's settings: epochs, intervals, early stopping. */
    RunSettings run();

    /** The whole configuration, as the run folder's config.json records it (Jackson-serialisable). */
    Object config();

    /** The network a new run starts from; what it imported goes to {@code log}. */
    M newModel(RunLog log) throws IOException;

    /** A checkpoint this task's networks wrote with their updater state. */
    M load(Path checkpoint) throws IOException;

    /** The training batches, epoch by epoch; the same epoch gives the same batches. */
    EpochBatches trainingBatches();

    /** The kind of folder its runs are (a training run unless the task says otherwise): another kind is never taken over. */
    default FolderKind folderKind() {
        return FolderKind.TRAINING_RUN;
    }

    /**
     * Whether this task makes its own optimiser steps ({@link #step}) because the graph cannot
     * hold its loss (several passes through one network, as GAB's pretraining makes). By default
     * the graph's output layers hold the loss and the engine's {@link FitStrategy} fits the graph.
     */
    default boolean stepsItself() {
        return false;
    }

    /** One optimiser step on {@code batch} during {@code epoch} (0-based), for a task that {@link #stepsItself}. */
    default StepResult step(M model, MultiDataSet batch, int epoch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " trains through its graph's output layers");
    }

    /** Names of training metrics beyond the loss ({@code train_...}), averaged over each epoch into metrics.csv. */
    default List<String> trainingMetrics() {
        return List.of();
    }

    /** Every metrics.csv column of this task between the training loss and the learning rate. */
    default List<String> metricColumns() {
        List<String> all = new java.util.ArrayList<>(trainingMetrics());
        all.addAll(validationMetrics());
        return all;
    }

    /** The learning rate during {@code epoch} (0-based), for metrics.csv. */
    double learningRate(int epoch);

    /** Names of the validation metrics, in metrics.csv's order (e.g. val_loss, val_srcc). */
    List<String> validationMetrics();

    /** The validation metrics of {@code model}, by name. */
    Map<String, Double> validate(M model) throws IOException;

    /** The metric that decides the best model, and in which direction. */
    Objective objective();

    @Override
    void close() throws IOException;

    /** Where a run's log lines go (train.log). */
    interface RunLog {
        void log(String line) throws IOException;
    }
}
