package org.baid4j.training.pretraining;

import org.baid4j.data.pipeline.BatchEngine;
import org.baid4j.data.pipeline.EpochOrder;
import org.baid4j.data.pretraining.PretrainingRenderer;
import org.baid4j.data.pretraining.PretrainingSample;
import org.baid4j.training.engine.EpochBatches;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pretraining set's batches, epoch by epoch, rendered on the fly by the batch engine: shuffled
 * per epoch (seed and epoch only), full batches only (the reference's {@code drop_last}). Features
 * are the degraded images alone before the ranking epoch, then the original, degraded, partner 1
 * and partner 2 images; the labels are the operations' numbers [B, 1].
 */
final class PretrainingBatches implements EpochBatches {

    private final List<PretrainingSample> samples;
    private final int batch;
    private final long seed;
    private final int rankingFrom;
    private final BatchEngine<PretrainingRenderer.Request> engine;
    private boolean withRanking;

    PretrainingBatches(List<PretrainingSample> samples, PretrainingRenderer renderer, int batch, long seed, int rankingFrom,
                       int threads) {
        if (samples.size() < batch) {
            throw new IllegalArgumentException(samples.size() + " pretraining samples make no full batch of " + batch);
        }
        this.samples = samples;
        this.batch = batch;
        this.seed = seed;
        this.rankingFrom = rankingFrom;
        this.engine = new BatchEngine<>(renderer.sampleShapes(), renderer, threads, 2 * threads + 2);
    }

    @Override
    public void startEpoch(int epoch) {
        withRanking = epoch >= rankingFrom;
        int n = samples.size();
        int[] order = EpochOrder.shuffled(n, new SplittableRandom(seed * 1_000_003L + epoch));
        List<List<PretrainingRenderer.Request>> batches = new ArrayList<>();
        for (int from = 0; from + batch <= n; from += batch) {
            List<PretrainingRenderer.Request> b = new ArrayList<>(batch);
            for (int k = from; k < from + batch; k++) {
                b.add(new PretrainingRenderer.Request(samples.get(order[k]), withRanking));
            }
            batches.add(b);
        }
        engine.submit(batches);
    }

    @Override
    public boolean hasNext() {
        return engine.hasNext();
    }

    @Override
    public MultiDataSet next() {
        BatchEngine.Batch<PretrainingRenderer.Request> b = engine.next();
        if (!b.failures().isEmpty()) {
            throw new IllegalStateException(b.failures().get(0).error().getMessage() + ", during pretraining: the images"
                    + " were checked when the run started, so they changed since; restore them and resume the run");
        }
        return asMultiDataSet(b.arrays(), withRanking);
    }

    /** The batch engine's arrays as the pretraining step takes them. */
    static MultiDataSet asMultiDataSet(INDArray[] arrays, boolean withRanking) {
        INDArray[] features = withRanking
                ? new INDArray[]{arrays[PretrainingRenderer.ORIGINAL], arrays[PretrainingRenderer.DEGRADED],
                arrays[PretrainingRenderer.PARTNER_1], arrays[PretrainingRenderer.PARTNER_2]}
                : new INDArray[]{arrays[PretrainingRenderer.DEGRADED]};
        return new org.nd4j.linalg.dataset.MultiDataSet(features, new INDArray[]{arrays[PretrainingRenderer.OPERATION]});
    }

    @Override
    public int batchesPerEpoch() {
        return samples.size() / batch;
    }

    @Override
    public void close() {
        engine.close();
    }
}
