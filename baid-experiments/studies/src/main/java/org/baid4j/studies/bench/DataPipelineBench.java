package org.baid4j.studies.bench;

import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.pipeline.BaidDataSetIterator;
import org.baid4j.data.pipeline.DecodedCache;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.data.pipeline.ResizedImages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Throughput of the training input pipeline: decoded, resized, flipped, normalised batches, from
 * JPEG files and from the decoded cache, after a warm-up epoch.
 */
public final class DataPipelineBench {
    private DataPipelineBench() {
    }

    /** One measurement. */
    public record Result(String source, int threads, int batch, long images, double seconds) {
        public double imagesPerSecond() {
            return images / seconds;
        }

        public double imagesPerSecondPerCore() {
            return imagesPerSecond() / threads;
        }

        public double batchesPerSecondPerCore() {
            return imagesPerSecondPerCore() / batch;
        }
    }

    public static Result jpeg(List<String> names, Path dir, int size, int batch, int threads, int epochs) {
        return run("jpeg", new FileImages(dir, size), names, batch, threads, epochs);
    }

    public static Result cache(List<String> names, Path dir, Path cacheFile, int size, int batch, int threads, int epochs)
            throws IOException {
        try (DecodedCache cache = DecodedCache.openOrBuild(cacheFile, dir, names, size, threads, () -> { })) {
            return run("cache", cache, names, batch, threads, epochs);
        }
    }

    private static Result run(String source, ResizedImages images, List<String> names, int batch, int threads, int epochs) {
        List<BaidLabel> labels = names.stream().map(n -> new BaidLabel(n, 5.0)).toList();
        try (BaidDataSetIterator it = new BaidDataSetIterator(labels, images, batch, true, 1, threads, 2 * threads + 2)) {
            drain(it);   // warm-up: page cache, JIT, native libraries
            long count = 0;
            long start = System.nanoTime();
            for (int e = 0; e < epochs; e++) {
                it.reset();
                count += drain(it);
            }
            return new Result(source, threads, batch, count, (System.nanoTime() - start) / 1e9);
        }
    }

    private static long drain(BaidDataSetIterator it) {
        long n = 0;
        while (it.hasNext()) {
            n += it.next().numExamples();
        }
        return n;
    }
}
