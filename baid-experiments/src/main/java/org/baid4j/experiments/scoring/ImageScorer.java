package org.baid4j.experiments.scoring;

import org.baid4j.core.model.SaanModel;
import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.SaanTransform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Scores image files with a SAAN model: files are decoded and transformed on a small thread pool
 * a few batches ahead of the network, scored in batches, and reported in input order. A file that
 * cannot be read is reported as a failure and the rest are still scored.
 */
public final class ImageScorer implements AutoCloseable {
    /** One scored image: the path as given and the score on the 0-10 scale. */
    public record Scored(String path, double score) {
    }

    /** One image left out, with a one-line reason that names the file. */
    public record Failed(String path, String message) {
    }

    private final SaanModel model;
    private final SaanTransform transform;
    private final int batchSize;
    private final ExecutorService decoders;

    public ImageScorer(SaanModel model, int batchSize, int decodeThreads) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.model = model;
        this.transform = new SaanTransform(model.inputSize());
        this.batchSize = batchSize;
        this.decoders = Executors.newFixedThreadPool(Math.max(1, decodeThreads), r -> {
            Thread t = new Thread(r, "baid-decode");
            t.setDaemon(true);
            return t;
        });
    }

    /** Scores {@code paths} in order; {@code progress} is told of every file done, scored or not. */
    public void score(List<String> paths, Consumer<Scored> scored, Consumer<Failed> failed, Runnable progress) {
        Deque<CompletableFuture<Object>> pending = new ArrayDeque<>();
        int next = 0;
        List<String> batchPaths = new ArrayList<>();
        List<float[]> batchImages = new ArrayList<>();
        int lookAhead = 3 * batchSize;
        while (next < paths.size() || !pending.isEmpty()) {
            while (next < paths.size() && pending.size() < lookAhead) {
                String p = paths.get(next++);
                pending.add(CompletableFuture.supplyAsync(() -> prepare(p), decoders));
            }
            int index = next - pending.size();
            Object prepared = pending.removeFirst().join();
            String path = paths.get(index);
            if (prepared instanceof Failed) {
                failed.accept((Failed) prepared);
                progress.run();
            } else {
                batchPaths.add(path);
                batchImages.add((float[]) prepared);
            }
            boolean last = next == paths.size() && pending.isEmpty();
            if (batchImages.size() == batchSize || (last && !batchImages.isEmpty())) {
                double[] scores = model.scores(transform.batch(batchImages));
                for (int i = 0; i < scores.length; i++) {
                    scored.accept(new Scored(batchPaths.get(i), scores[i]));
                    progress.run();
                }
                batchPaths.clear();
                batchImages.clear();
            }
        }
    }

    private Object prepare(String path) {
        try {
            return transform.chw(Path.of(path));
        } catch (ImageDecodeException e) {
            return new Failed(path, e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Failed(path, path + ": " + e);
        }
    }

    @Override
    public void close() {
        decoders.shutdownNow();
    }
}
