package org.baid4j.experiments.engine;

import org.nd4j.linalg.dataset.api.MultiDataSet;

/** A task's training data, one epoch at a time; an epoch's batches depend on the seed and the epoch only. */
public interface EpochBatches extends AutoCloseable {
    /** Starts (or re-enters, when resuming) an epoch. */
    void startEpoch(int epoch);

    boolean hasNext();

    MultiDataSet next();

    int batchesPerEpoch();

    @Override
    void close();
}
