package org.baid4j.data.pipeline;

import org.baid4j.data.ImageDecodeException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one place batches are made: samples are prepared on a pool of threads several batches ahead
 * of the consumer, each written straight into its slot of the batch's native arrays (one copy of
 * the pixels), and handed out in the order they were submitted. Training, evaluation and scoring
 * use it, each with its own kind of sample and {@link SampleWriter}.
 *
 * <p>A sample whose writer throws {@link ImageDecodeException} is left out of its batch and
 * reported in {@link Batch#failures()}; any other exception ends the run, from {@link #next()}.
 *
 * @param <S> what one sample is (a label and its flip, a path, ...)
 */
public final class BatchEngine<S> implements Iterator<BatchEngine.Batch<S>>, AutoCloseable {

    /** Writes one sample into its slot of each of the batch's arrays. Called on the pool's threads. */
    @FunctionalInterface
    public interface SampleWriter<S> {
        void write(S sample, Slot slot) throws ImageDecodeException;
    }

    /** One sample's place in a batch: array {@code a} holds its elements from {@link #offset(int)}. */
    public record Slot(int index, FloatBuffer[] buffers, int[] perSample) {
        public FloatBuffer buffer(int array) {
            return buffers[array];
        }

        public int offset(int array) {
            return index * perSample[array];
        }
    }

    /** A sample left out, with where it stood in its batch and why. */
    public record Failure<S>(S sample, int position, ImageDecodeException error) {
    }

    /** A finished batch: the samples that made it, in order, their arrays [n, shape...], and those left out. */
    public record Batch<S>(List<S> samples, INDArray[] arrays, List<Failure<S>> failures) {
        public int size() {
            return samples.size();
        }
    }

    private final long[][] shapes;
    private final int[] perSample;
    private final SampleWriter<S> writer;
    private final int ahead;
    private final ExecutorService pool;
    private final Deque<CompletableFuture<Batch<S>>> queue = new ArrayDeque<>();
    private Iterator<List<S>> pending = java.util.Collections.emptyIterator();

    /**
     * @param sampleShapes the shape of one sample in each array, e.g. [3, S, S] and [1]
     * @param threads      preparing threads
     * @param ahead        batches prepared ahead of the consumer
     */
    public BatchEngine(List<long[]> sampleShapes, SampleWriter<S> writer, int threads, int ahead) {
        this.shapes = sampleShapes.toArray(new long[0][]);
        this.perSample = new int[shapes.length];
        for (int a = 0; a < shapes.length; a++) {
            long n = 1;
            for (long d : shapes[a]) {
                n *= d;
            }
            perSample[a] = Math.toIntExact(n);
        }
        this.writer = writer;
        this.ahead = Math.max(1, ahead);
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "baid-batches");
            t.setDaemon(true);
            return t;
        });
    }

    /** Drops whatever is queued and starts preparing these batches, in this order. */
    public void submit(List<List<S>> batches) {
        cancelPending();
        pending = batches.iterator();
        fill();
    }

    @Override
    public boolean hasNext() {
        return !queue.isEmpty();
    }

    @Override
    public Batch<S> next() {
        if (queue.isEmpty()) {
            throw new NoSuchElementException("no batch left of those submitted");
        }
        Batch<S> batch = queue.removeFirst().join();
        fill();
        return batch;
    }

    private void fill() {
        while (queue.size() < ahead && pending.hasNext()) {
            queue.add(prepare(pending.next()));
        }
    }

    private CompletableFuture<Batch<S>> prepare(List<S> samples) {
        int n = samples.size();
        INDArray[] arrays = new INDArray[shapes.length];
        FloatBuffer[] buffers = new FloatBuffer[shapes.length];
        for (int a = 0; a < shapes.length; a++) {
            arrays[a] = Nd4j.createUninitializedDetached(DataType.FLOAT, withBatch(n, shapes[a]));
            buffers[a] = arrays[a].data().asNioFloat();
        }
        List<CompletableFuture<ImageDecodeException>> parts = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            S sample = samples.get(k);
            Slot slot = new Slot(k, buffers, perSample);
            parts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    writer.write(sample, slot);
                    return null;
                } catch (ImageDecodeException e) {
                    return e;
                }
            }, pool));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<S> ok = new ArrayList<>(n);
            List<Integer> okSlots = new ArrayList<>(n);
            List<Failure<S>> failures = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                ImageDecodeException e = parts.get(k).join();
                if (e == null) {
                    ok.add(samples.get(k));
                    okSlots.add(k);
                } else {
                    failures.add(new Failure<>(samples.get(k), k, e));
                }
            }
            return new Batch<>(ok, failures.isEmpty() ? arrays : compact(arrays, okSlots), failures);
        });
    }

    /** The arrays without the failed samples' slots. */
    private INDArray[] compact(INDArray[] arrays, List<Integer> okSlots) {
        INDArray[] out = new INDArray[arrays.length];
        for (int a = 0; a < arrays.length; a++) {
            out[a] = Nd4j.createUninitializedDetached(DataType.FLOAT, withBatch(okSlots.size(), shapes[a]));
            for (int i = 0; i < okSlots.size(); i++) {
                out[a].get(NDArrayIndex.point(i)).assign(arrays[a].get(NDArrayIndex.point(okSlots.get(i))));
            }
        }
        return out;
    }

    private static long[] withBatch(int n, long[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    private void cancelPending() {
        for (CompletableFuture<Batch<S>> f : queue) {
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
