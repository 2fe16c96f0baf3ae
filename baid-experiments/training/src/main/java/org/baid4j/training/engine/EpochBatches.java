package org.baid4j.training.engine;

import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.Iterator;

/** A task's training data, one epoch at a time; an epoch's batches depend on the seed and the epoch only. */
public interface EpochBatches extends Iterator<MultiDataSet>, AutoCloseable {
    /** Starts (or re-enters, when resuming) an epoch. */
    void startEpoch(int epoch);

    int batchesPerEpoch();

    @Override
    void close();
}
