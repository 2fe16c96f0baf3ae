package org.baid4j.training.engine;

import java.io.IOException;

/**
 * Told of a run's progress by the {@link TrainingEngine}, in the order listeners were added (DJL's
 * habit): validation fills an epoch's metrics before the listeners after it read them. DL4J's own
 * listeners (the training UI's StatsListener) go on the graph in {@link #onTrainingBegin}.
 */
public interface TrainingListener {
    /** Before the first step of this process (a new run or a resumed one). */
    default void onTrainingBegin(TrainingRun<?> run) throws IOException {
    }

    default void onEpochBegin(TrainingRun<?> run, int epoch, int batches) throws IOException {
    }

    /** After each step: the batch's loss (without the L2 penalty) and its size. */
    default void onBatch(TrainingRun<?> run, int epoch, double loss, int examples) throws IOException {
    }

    /** After an epoch; {@code epoch} is filled in as the listeners before this one left it. */
    default void onEpochEnd(TrainingRun<?> run, EpochEnd epoch) throws IOException {
    }

    /** After the last epoch (or an early stop): the run is complete on disk. */
    default void onTrainingEnd(TrainingRun<?> run, TrainingResult result) throws IOException {
    }
}
