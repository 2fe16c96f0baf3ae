package org.baid4j.scoring;

import org.baid4j.core.model.AestheticsModel;
import org.baid4j.core.model.Preprocessing;
import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.ImageDecoder;
import org.baid4j.data.RgbImage;
import org.baid4j.data.SaanTransform;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Scores images with a model: files, encoded bytes or decoded images, one at a time or many, from
 * any number of threads at once. Each image is decoded and resized as the reference does (OpenCV's
 * decoder, Pillow's bilinear resize); the model runs on one thread of its own, in batches
 * ({@link InferenceQueue}): single images share a batch with those waiting beside them, a list
 * runs in chunks of the maximum batch, in order, so that its scores do not depend on other
 * callers. Made by {@link Aesthetics}; close it when done.
 */
public final class Scorer implements AutoCloseable {
    /** What a service watches: each batch the model ran, its size and time. */
    @FunctionalInterface
    public interface Listener {
        void onBatch(int size, long nanos);
    }

    private final AestheticsModel model;
    private final SaanTransform transform;
    private final InferenceQueue queue;
    private final ExecutorService decoders;
    private final int decodeThreads;
    private final int maxBatch;
    private final long maxPixels;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    Scorer(AestheticsModel model, int maxBatch, long maxDelayNanos, int queueCapacity, int decodeThreads, long maxPixels) {
        this.model = model;
        model.fixParameters();   // scoring never changes them: the convolutions keep their weights' layouts
        this.maxPixels = maxPixels;
        this.transform = new SaanTransform(model.preprocessing());
        this.queue = new InferenceQueue(model, maxBatch, maxDelayNanos, queueCapacity,
                (size, nanos) -> listeners.forEach(l -> l.onBatch(size, nanos)));
        this.decodeThreads = decodeThreads;
        this.maxBatch = maxBatch;
        AtomicInteger n = new AtomicInteger();
        this.decoders = Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "baid4j-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The score of an image file, 0-10. */
    public double score(Path image) throws ScoringException {
        String source = image.toString();
        return await(source, submitOne(source, prepare(source, () -> transform.resize(image)), true));
    }

    /** The score of an encoded image (JPEG, PNG, BMP, TIFF, WebP, as in a file), 0-10. */
    public double score(byte[] encoded) throws ScoringException {
        return score(encoded, "image bytes");
    }

    /** As {@link #score(byte[])}; {@code source} names the image in failures. */
    public double score(byte[] encoded, String source) throws ScoringException {
        return await(source, scoreAsync(encoded, source, true));
    }

    /**
     * The score of an image decoded in Java, its pixels as they are. Java's decoders are not the
     * reference's (OpenCV's): for the reference's scores, give the file or its bytes.
     */
    public double score(BufferedImage image) throws ScoringException {
        String source = "BufferedImage " + image.getWidth() + "x" + image.getHeight();
        return await(source, submitOne(source, prepare(source, () -> transform.resize(RgbImage.of(image))), true));
    }

    /** The images' results in their order; a bad image is a failure in its place, never an exception. */
    public List<ScoreResult> score(List<Path> images) {
        List<ScoreResult> results = new ArrayList<>(images.size());
        score(images, results::add);
        return results;
    }

    /**
     * Scores {@code images} in chunks of the maximum batch, handing each result to {@code inOrder}
     * in the list's order; decoding runs ahead on the scorer's threads, a few chunks at a time.
     */
    public void score(List<Path> images, Consumer<ScoreResult> inOrder) {
        Deque<CompletableFuture<List<ScoreResult>>> ahead = new ArrayDeque<>();
        int chunksAhead = Math.max(2, (2 * decodeThreads + maxBatch - 1) / maxBatch);
        for (int from = 0; from < images.size(); from += maxBatch) {
            ahead.add(scoreChunk(images.subList(from, Math.min(images.size(), from + maxBatch))));
            while (ahead.size() > chunksAhead) {
                ahead.poll().join().forEach(inOrder);
            }
        }
        while (!ahead.isEmpty()) {
            ahead.poll().join().forEach(inOrder);
        }
    }

    /**
     * The score of an encoded image, later: the service's path. With {@code wait} false a full
     * queue is refused at once ({@link QueueFullException}), so that a service can say so rather
     * than hold the request; an image that cannot be decoded fails here, on the caller's thread.
     */
    public CompletableFuture<Double> scoreAsync(byte[] encoded, String source, boolean wait) throws ScoringException {
        long[] size = ImageDecoder.headerSize(encoded);
        if (size != null && size[0] * size[1] > maxPixels) {
            throw new ScoringException(source, String.format(java.util.Locale.ROOT, "%s: too large: %dx%d pixels, the limit is %,d",
                    source, size[0], size[1], maxPixels), ScoringException.Kind.TOO_LARGE, null);
        }
        return submitOne(source, prepare(source, () -> transform.resize(Path.of(source), encoded, maxPixels)), wait);
    }

    public AestheticsModel model() {
        return model;
    }

    public Preprocessing preprocessing() {
        return model.preprocessing();
    }

    /** Image batches waiting for the model now. */
    public int queueDepth() {
        return queue.depth();
    }

    public int queueCapacity() {
        return queue.capacity();
    }

    public long maxPixels() {
        return maxPixels;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Scores what is already queued, then stops; later calls fail. */
    @Override
    public void close() {
        queue.close();
        decoders.shutdown();
    }

    /** A preprocessing step that may reject the image. */
    @FunctionalInterface
    private interface Resize {
        RgbImage get() throws ImageDecodeException;
    }

    /** An image ready for the model, or why it is not. */
    private record Prepared(String source, float[] image, ScoringException failure) {
    }

    private Prepared prepare(String source, Resize resize) {
        try {
            return new Prepared(source, transform.chw(resize.get()), null);
        } catch (ImageDecodeException e) {
            return new Prepared(source, null, ScoringException.of(source, e));
        } catch (RuntimeException e) {
            return new Prepared(source, null, new ScoringException(source, source + ": cannot be read as an image (" + e + ")",
                    ScoringException.Kind.DAMAGED, e));
        }
    }

    private CompletableFuture<Double> submitOne(String source, Prepared prepared, boolean wait) throws ScoringException {
        if (prepared.failure() != null) {
            throw prepared.failure();
        }
        try {
            return queue.submit(new float[][]{prepared.image()}, false, wait).thenApply(scores -> {
                if (!Double.isFinite(scores[0])) {
                    throw new CompletionException(nonFinite(source, scores[0]));
                }
                return scores[0];
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException(source, source + ": interrupted while waiting for the model", e);
        }
    }

    /** A chunk's images decoded on the pool, then its readable ones as one batch; results in the chunk's order. */
    private CompletableFuture<List<ScoreResult>> scoreChunk(List<Path> chunk) {
        List<CompletableFuture<Prepared>> decoded = new ArrayList<>(chunk.size());
        for (Path image : chunk) {
            String source = image.toString();
            decoded.add(CompletableFuture.supplyAsync(() -> prepare(source, () -> transform.resize(image)), decoders));
        }
        return CompletableFuture.allOf(decoded.toArray(CompletableFuture[]::new)).thenComposeAsync(done -> {
            List<Prepared> prepared = decoded.stream().map(CompletableFuture::join).toList();
            float[][] readable = prepared.stream().filter(p -> p.failure() == null).map(Prepared::image).toArray(float[][]::new);
            CompletableFuture<double[]> scores;
            try {
                scores = readable.length == 0 ? CompletableFuture.completedFuture(new double[0])
                        : queue.submit(readable, true, true);
            } catch (InterruptedException | RuntimeException e) {
                scores = CompletableFuture.failedFuture(e);
            }
            return scores.handle((values, error) -> {
                List<ScoreResult> results = new ArrayList<>(prepared.size());
                int at = 0;
                for (Prepared p : prepared) {
                    if (p.failure() != null) {
                        results.add(ScoreResult.failed(p.failure()));
                    } else if (error != null) {
                        results.add(ScoreResult.failed(failure(p.source(), error)));
                    } else if (!Double.isFinite(values[at])) {
                        results.add(ScoreResult.failed(nonFinite(p.source(), values[at++])));
                    } else {
                        results.add(ScoreResult.scored(p.source(), values[at++]));
                    }
                }
                return results;
            });
        }, decoders);
    }

    private static ScoringException nonFinite(String source, double score) {
        return new ScoringException(source, source + ": the model gave the score " + score + " (are its weights damaged?)");
    }

    private static ScoringException failure(String source, Throwable error) {
        Throwable cause = error instanceof CompletionException || error instanceof ExecutionException
                ? (error.getCause() != null ? error.getCause() : error) : error;
        return cause instanceof ScoringException s ? s : new ScoringException(source, source + ": " + cause.getMessage(), cause);
    }

    private static double await(String source, CompletableFuture<Double> score) throws ScoringException {
        try {
            return score.get();
        } catch (ExecutionException e) {
            throw failure(source, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException(source, source + ": interrupted while waiting for the model", e);
        }
    }
}
