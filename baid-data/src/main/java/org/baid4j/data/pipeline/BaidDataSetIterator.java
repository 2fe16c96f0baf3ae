package org.baid4j.data.pipeline;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.SaanTransform;
import org.baid4j.data.baid.BaidLabel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

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

    private final List<BaidLabel> labels;
    private final ResizedImages images;
    private final SaanTransform transform;
    private final int batchSize;
    private final boolean training;
    private final long seed;
    private final int prefetch;
    private final ExecutorService pool;
    private final AtomicLong skipped = new AtomicLong();
    private final Deque<CompletableFuture<DataSet>> queue = new ArrayDeque<>();
    private DataSetPreProcessor preProcessor;
    private int epoch = -1;
    private int[] order;
    private boolean[] flips;
    private int nextBatchStart;

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
        this.prefetch = Math.max(1, prefetch);
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "baid-data");
            t.setDaemon(true);
            return t;
        });
        startEpoch(0);
    }

    /** The epoch the iterator is in (0-based). */
    public int epoch() {
        return epoch;
    }

    /** Moves to a given epoch (for resuming a run): its order and flips are those of that epoch. */
    public void startEpoch(int e) {
        cancelPending();
        epoch = e;
        int n = labels.size();
        order = new int[n];
        flips = new boolean[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (training) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + e);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < n; i++) {
                flips[i] = random.nextDouble() < 0.5;
            }
        }
        nextBatchStart = 0;
        fill();
    }

    private void fill() {
        while (queue.size() < prefetch && nextBatchStart < order.length) {
            int from = nextBatchStart;
            int to = Math.min(order.length, from + batchSize);
            nextBatchStart = to;
            queue.add(batch(from, to));
        }
    }

    /**
     * One batch: its native array is allocated first and every image task writes its own slot, so
     * that the pixels are copied once. Images that fail leave a gap that the last step closes.
     */
    private CompletableFuture<DataSet> batch(int from, int to) {
        int n = to - from;
        int size = images.size();
        int per = 3 * size * size;
        INDArray features = Nd4j.createUninitializedDetached(DataType.FLOAT, n, 3, size, size);
        java.nio.FloatBuffer slots = features.data().asNioFloat();
        List<CompletableFuture<Boolean>> parts = new ArrayList<>(n);
        for (int k = from; k < to; k++) {
            BaidLabel label = labels.get(order[k]);
            boolean flip = flips[k];
            int offset = (k - from) * per;
            parts.add(CompletableFuture.supplyAsync(() -> load(label, flip, slots, offset), pool));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<Integer> ok = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                if (parts.get(k).join()) {
                    ok.add(k);
                }
            }
            float[] y = new float[ok.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) labels.get(order[from + ok.get(i)]).target();
            }
            INDArray x = features;
            if (ok.size() < n) {
                x = Nd4j.createUninitializedDetached(DataType.FLOAT, ok.size(), 3, size, size);
                for (int i = 0; i < ok.size(); i++) {
                    x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(
                            features.get(org.nd4j.linalg.indexing.NDArrayIndex.point(ok.get(i))));
                }
            }
            return new DataSet(x, Nd4j.create(y, new long[]{y.length, 1}, DataType.FLOAT));
        });
    }

    private boolean load(BaidLabel label, boolean flip, java.nio.FloatBuffer slots, int offset) {
        try {
            transform.write(images.resized(label.image()), flip, slots, offset);
            return true;
        } catch (ImageDecodeException e) {
            skipped.incrementAndGet();
            LOG.warn("left out of its batch: {}", e.getMessage());
            return false;
        }
    }

    /** Images left out because they failed to decode, over the iterator's life. */
    public long skipped() {
        return skipped.get();
    }

    @Override
    public boolean hasNext() {
        return !queue.isEmpty();
    }

    @Override
    public DataSet next() {
        if (queue.isEmpty()) {
            throw new NoSuchElementException("epoch " + epoch + " is over; reset() starts the next");
        }
        DataSet ds = queue.removeFirst().join();
        fill();
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

    private void cancelPending() {
        for (CompletableFuture<DataSet> f : queue) {
            f.cancel(false);
        }
        queue.clear();
    }

    @Override
    public void close() {
        cancelPending();
        pool.shutdownNow();
    }
}
