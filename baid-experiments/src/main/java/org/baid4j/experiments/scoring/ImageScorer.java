package org.baid4j.experiments.scoring;

import org.baid4j.core.model.AestheticsModel;
import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.SaanTransform;
import org.baid4j.data.pipeline.BatchEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Scores image files with a model: files are decoded and transformed by the {@link BatchEngine}
 * a few batches ahead of the network, through the model's own preprocessing, and reported in input
 * order. A file that cannot be read is reported as a failure and the rest are still scored.
 */
public final class ImageScorer implements AutoCloseable {
    /** One scored image: the path as given and the score on the 0-10 scale. */
    public record Scored(String path, double score) {
    }

    /** One image left out, with a one-line reason that names the file. */
    public record Failed(String path, String message) {
    }

    private final AestheticsModel model;
    private final int batchSize;
    private final BatchEngine<String> engine;

    public ImageScorer(AestheticsModel model, int batchSize, int decodeThreads) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.model = model;
        this.batchSize = batchSize;
        SaanTransform transform = new SaanTransform(model.preprocessing());
        int size = transform.size();
        this.engine = new BatchEngine<>(List.of(new long[]{3, size, size}),
                (path, slot) -> write(transform, path, slot), decodeThreads, 3);
    }

    private static void write(SaanTransform transform, String path, BatchEngine.Slot slot) throws ImageDecodeException {
        try {
            transform.write(transform.resize(Path.of(path)), false, slot.buffer(0), slot.offset(0));
        } catch (RuntimeException e) {
            throw new ImageDecodeException(Path.of(path), e.toString());
        }
    }

    /** Scores {@code paths} in order; {@code progress} is told of every file done, scored or not. */
    public void score(List<String> paths, Consumer<Scored> scored, Consumer<Failed> failed, Runnable progress) {
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < paths.size(); from += batchSize) {
            batches.add(paths.subList(from, Math.min(paths.size(), from + batchSize)));
        }
        engine.submit(batches);
        while (engine.hasNext()) {
            BatchEngine.Batch<String> batch = engine.next();
            double[] scores = batch.size() > 0 ? model.scores(batch.arrays()[0]) : new double[0];
            // The batch's paths in input order: scored ones and failures interleaved as given.
            List<BatchEngine.Failure<String>> failures = batch.failures();
            int at = 0;
            int f = 0;
            for (int i = 0; i < batch.size() + failures.size(); i++) {
                if (f < failures.size() && failures.get(f).position() == i) {
                    failed.accept(new Failed(failures.get(f).sample(), failures.get(f).error().getMessage()));
                    f++;
                } else if (Double.isFinite(scores[at])) {
                    scored.accept(new Scored(batch.samples().get(at), scores[at]));
                    at++;
                } else {
                    String path = batch.samples().get(at);
                    failed.accept(new Failed(path, path + ": the model gave the score " + scores[at]
                            + " (are its weights damaged?)"));
                    at++;
                }
                progress.run();
            }
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
