package org.baid4j.scoring;

import org.slf4j.LoggerFactory;

import org.baid4j.core.model.AestheticsModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that runs the model: preprocessed images from any number of threads wait here and
 * go through the network in batches, as DJL Serving's {@code batch_size} and
 * {@code max_batch_delay} do. A batch takes the single images waiting, up to {@code maxBatch}, and
 * waits for more only until {@code maxDelay} after its first image arrived; a list's chunk
 * arrives whole and runs as its own batch, so that a list's scores do not depend on what else was
 * waiting. One thread, because a DL4J network is not safe to call from several at once, and
 * because batching is where a CPU gains.
 */
final class InferenceQueue implements AutoCloseable {
    /** Images waiting: their CHW floats, where their scores go (NaN as the model gave it), when they arrived, and whether they run as a batch of their own. */
    record Job(float[][] images, CompletableFuture<double[]> scores, long arrived, boolean whole) {
    }

    private final AestheticsModel model;
    private final int side;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final BlockingQueue<Job> waiting;
    private final Scorer.Listener listener;
    private final Thread worker;
    private volatile boolean closing;

    InferenceQueue(AestheticsModel model, int maxBatch, long maxDelayNanos, int capacity, Scorer.Listener listener) {
        this.model = model;
        this.side = model.preprocessing().inputSize();
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelayNanos;
        this.waiting = new ArrayBlockingQueue<>(capacity);
        this.listener = listener;
        this.worker = new Thread(this::run, "baid4j-inference");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues images: one that may share a batch with others, or a list's chunk ({@code whole}) that
     * runs as a batch of its own; {@code wait}: for room when the queue is full, else a
     * {@link QueueFullException}.
     */
    CompletableFuture<double[]> submit(float[][] images, boolean whole, boolean wait) throws InterruptedException {
        if (closing) {
            throw new IllegalStateException("the scorer is closed");
        }
        Job job = new Job(images, new CompletableFuture<>(), System.nanoTime(), whole);
        if (wait) {
            waiting.put(job);
        } else if (!waiting.offer(job)) {
            throw new QueueFullException(waiting.size() + waiting.remainingCapacity());
        }
        if (closing && waiting.remove(job)) {
            throw new IllegalStateException("the scorer is closed");
        }
        return job.scores();
    }

    int depth() {
        return waiting.size();
    }

    int capacity() {
        return waiting.size() + waiting.remainingCapacity();
    }

    private void run() {
        List<Job> batch = new ArrayList<>(maxBatch);
        try {
            while (!closing || !waiting.isEmpty()) {
                Job first = waiting.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (!first.whole()) {
                    collectSingles(batch, first.arrived() + maxDelayNanos);
                }
                infer(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException closed = new IllegalStateException("the scorer is closed");
            batch.forEach(j -> j.scores().completeExceptionally(closed));
            for (Job j; (j = waiting.poll()) != null; ) {
                j.scores().completeExceptionally(closed);
            }
        }
    }

    /** Adds the single images waiting, and those that come before {@code deadline}, up to a full batch; a chunk waits for the next batch. */
    private void collectSingles(List<Job> batch, long deadline) throws InterruptedException {
        while (batch.size() < maxBatch) {
            Job next = waiting.peek();   // this thread is the only taker: what it peeks stays until it polls
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (closing || left <= 0) {
                    return;
                }
                next = waiting.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    return;
                }
                if (next.whole()) {   // polled: it cannot go back to the head, so it runs after this batch
                    infer(new ArrayList<>(batch));
                    batch.clear();
                    batch.add(next);
                    return;
                }
                batch.add(next);
                continue;
            }
            if (next.whole()) {
                return;
            }
            batch.add(waiting.poll());
        }
    }

    private void infer(List<Job> jobs) {
        long start = System.nanoTime();
        int n = jobs.stream().mapToInt(j -> j.images().length).sum();
        int plane = 3 * side * side;
        try {
            INDArray images = Nd4j.create(DataType.FLOAT, n, 3, side, side);
            FloatBuffer buffer = images.data().asNioFloat();
            int at = 0;
            for (Job job : jobs) {
                for (float[] image : job.images()) {
                    buffer.put(at++ * plane, image);
                }
            }
            double[] scores = model.scores(images);
            // Listeners hear of the batch before its callers have their scores: a caller whose
            // score has come back has seen every listener call its batch makes.
            try {
                listener.onBatch(n, System.nanoTime() - start);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(InferenceQueue.class).warn("a scorer's listener failed: {}", e.toString());
            }
            at = 0;
            for (Job job : jobs) {
                job.scores().complete(java.util.Arrays.copyOfRange(scores, at, at + job.images().length));
                at += job.images().length;
            }
        } catch (RuntimeException | Error e) {
            RuntimeException failure = new IllegalStateException("the model failed on a batch of " + n + " images (" + e + ")", e);
            jobs.forEach(j -> j.scores().completeExceptionally(failure));
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** Refuses new images, scores those waiting, and stops the thread. */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
