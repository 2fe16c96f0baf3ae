package org.baid4j.data.pipeline;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.SaanTransform;
import org.baid4j.data.baid.BaidLabel;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Batches of (image [B, 3, S, S], score / 10 [B, 1]) for DL4J, with the reference's transforms:
 * for training a seeded shuffle per epoch and a seeded horizontal flip (p = 0.5) after the resize;
 * for evaluation the file order, no flip. Images are decoded on a pool of threads several batches
 * ahead of the consumer, so that data does not starve the model. Shuffles and flips depend on the
 * seed and the epoch only, never on thread timing. {@link #reset()} starts the next epoch.
 *
 * <p>An image that fails to decode mid-run (it passed validation but is damaged) is left out of
 * its batch with a warning naming it, rather than ending a long run; {@link #skipped()} counts them.
 */
public final class BaidDataSetIterator implements DataSetIterator, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BaidDataSetIterator.class);

    /** One sample: an image with its label, mirrored or not. */
    private record Sample(BaidLabel label, boolean flip) {
    }

    private final List<BaidLabel> labels;
    private final ResizedImages images;
    private final SaanTransform transform;
    private final int batchSize;
    private final boolean training;
    private final long seed;
    private final BatchEngine<Sample> engine;
    private final List<String> failures = new ArrayList<>();
    private DataSetPreProcessor preProcessor;
    private int epoch = -1;

    /**
     * @param training shuffle per epoch and flip at random; false: file order, no flip
     * @param threads  decoding threads
     * @param prefetch batches prepared ahead of the consumer
     */
    public BaidDataSetIterator(List<BaidLabel> labels, ResizedImages images, int batchSize, boolean training,
                               long seed, int threads, int prefetch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("no images to iterate over");
        }
        this.labels = List.copyOf(labels);
        this.images = images;
        this.transform = new SaanTransform(images.size());
        this.batchSize = batchSize;
        this.training = training;
        this.seed = seed;
        int size = images.size();
        this.engine = new BatchEngine<>(List.of(new long[]{3, size, size}, new long[]{1}), this::write, threads, prefetch);
    }

    /** The epoch the iterator is in (0-based); -1 before the first batch. */
    public int epoch() {
        return epoch;
    }

    /** Moves to a given epoch (for resuming a run): its order and flips are those of that epoch. */
    public void startEpoch(int e) {
        epoch = e;
        int n = labels.size();
        int[] order;
        boolean[] flips = new boolean[n];
        if (training) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + e);
            order = EpochOrder.shuffled(n, random);
            for (int i = 0; i < n; i++) {
                flips[i] = random.nextDouble() < 0.5;
            }
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        List<List<Sample>> batches = new ArrayList<>();
        for (int from = 0; from < n; from += batchSize) {
            List<Sample> batch = new ArrayList<>(batchSize);
            for (int k = from; k < Math.min(n, from + batchSize); k++) {
                batch.add(new Sample(labels.get(order[k]), flips[k]));
            }
            batches.add(batch);
        }
        engine.submit(batches);
    }

    private void write(Sample s, BatchEngine.Slot slot) throws ImageDecodeException {
        transform.write(images.resized(s.label().image()), s.flip(), slot.buffer(0), slot.offset(0));
        slot.buffer(1).put(slot.offset(1), (float) s.label().target());
    }

    /** Images left out because they failed to decode, over the iterator's life. */
    public long skipped() {
        return failures.size();
    }

    /** Why each of them was left out: one line naming the file. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public boolean hasNext() {
        if (epoch < 0) {
            startEpoch(0);
        }
        return engine.hasNext();
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is over; reset() starts the next");
        }
        BatchEngine.Batch<Sample> batch = engine.next();
        for (BatchEngine.Failure<Sample> f : batch.failures()) {
            failures.add(f.error().getMessage());
            LOG.warn("left out of its batch: {}", f.error().getMessage());
        }
        if (batch.size() == 0) {
            throw new IllegalStateException("no image of a batch could be read: " + batch.failures().get(0).error().getMessage()
                    + (batch.failures().size() > 1 ? " (and " + (batch.failures().size() - 1) + " more)" : ""));
        }
        DataSet ds = new DataSet(batch.arrays()[0], batch.arrays()[1]);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next(int num) {
        if (num != batchSize) {
            throw new UnsupportedOperationException("batches have the size given at construction (" + batchSize + ")");
        }
        return next();
    }

    @Override
    public void reset() {
        startEpoch(epoch + 1);
    }

    @Override
    public int inputColumns() {
        return 3 * images.size() * images.size();
    }

    @Override
    public int totalOutcomes() {
        return 1;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: this iterator prefetches itself; DL4J's async wrapper would only add a copy. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int batchesPerEpoch() {
        return (labels.size() + batchSize - 1) / batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void close() {
        engine.close();
    }
}
