package org.baid4j.scoring;

import org.baid4j.core.model.AestheticsModel;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.data.ImageDecoder;
import org.baid4j.weights.ModelOpener;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The front door: a {@link Scorer} for any model baid4j knows, in one call.
 * <pre>{@code
 * try (Scorer scorer = Aesthetics.load(Path.of("model_best.pth"))) {
 *     double score = scorer.score(Path.of("art.jpg"));   // 0-10
 * }
 * }</pre>
 * The file's kind is read from its content: the authors' PyTorch checkpoint ({@code .pth}: plain,
 * with DataParallel's {@code module.} prefix, or a dict holding the state_dict), imported on the
 * fly, or a baid4j model file, whose card says its type. {@link #builder()} sets the rest.
 */
public final class Aesthetics {
    private Aesthetics() {
    }

    /** A scorer for the model in {@code file}, with the defaults. */
    public static Scorer load(Path file) throws IOException {
        return builder().setModel(file).build();
    }

    /** A scorer for registered model type {@code type} (e.g. "saan") with the weights in {@code weights}. */
    public static Scorer load(String type, Path weights) throws IOException {
        return builder().setModel(type, weights).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What to score with (one {@code set*}) and how ({@code opt*}, each with a default):
     * {@code Aesthetics.builder().setModel(file).optMaxBatch(16).build()}.
     */
    public static final class Builder {
        /** Images a batch may hold, by default: a CPU's throughput is near its best from here. */
        public static final int DEFAULT_MAX_BATCH = 8;
        /** How long a batch waits for more images after its first, by default: small beside a forward pass. */
        public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(5);

        private Path file;
        private String type;
        private AestheticsModel model;
        private int inputSize = SaanConfig.REFERENCE_INPUT_SIZE;
        private int maxBatch = DEFAULT_MAX_BATCH;
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private int queueCapacity = -1;
        private int decodeThreads = Runtime.getRuntime().availableProcessors();
        private long maxPixels = ImageDecoder.MAX_PIXELS;

        private Builder() {
        }

        /** A model file of any known kind (see {@link Aesthetics}). */
        public Builder setModel(Path file) {
            this.file = file;
            this.type = null;
            this.model = null;
            return this;
        }

        /** Weights of registered type {@code type}: its PyTorch checkpoint or a baid4j model file of that type. */
        public Builder setModel(String type, Path weights) {
            this.file = weights;
            this.type = type;
            this.model = null;
            return this;
        }

        /** A model already in memory (built, trained or loaded by other means). */
        public Builder setModel(AestheticsModel model) {
            this.model = model;
            this.file = null;
            this.type = null;
            return this;
        }

        /** Input side for an imported PyTorch checkpoint (default 224, the reference's); a baid4j file carries its own. */
        public Builder optInputSize(int pixels) {
            this.inputSize = pixels;
            return this;
        }

        /** The most images the model runs at once (default {@value #DEFAULT_MAX_BATCH}). */
        public Builder optMaxBatch(int images) {
            this.maxBatch = images;
            return this;
        }

        /** How long a batch waits for more images after its first (default 5 ms; zero: never waits). */
        public Builder optMaxDelay(Duration delay) {
            this.maxDelay = delay;
            return this;
        }

        /** Images that may wait for the model (default 8 batches); past it, callers wait or are refused. */
        public Builder optQueueCapacity(int images) {
            this.queueCapacity = images;
            return this;
        }

        /** Threads that decode the images of a list (default: the number of cores). */
        public Builder optDecodeThreads(int threads) {
            this.decodeThreads = threads;
            return this;
        }

        /**
         * The most pixels an image given as bytes may have (default: Pillow's limit, {@value
         * ImageDecoder#MAX_PIXELS}); a service sets less, so that a small file that claims a huge image
         * (a decompression bomb) is refused by its header, before any decoding.
         */
        public Builder optMaxPixels(long pixels) {
            this.maxPixels = pixels;
            return this;
        }

        public Scorer build() throws IOException {
            if (maxPixels < 1) {
                throw new IllegalArgumentException("the pixel limit must be at least 1, got " + maxPixels);
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException("the maximum batch must be at least 1, got " + maxBatch);
            }
            if (maxDelay == null || maxDelay.isNegative()) {
                throw new IllegalArgumentException("the maximum delay must be zero or more, got " + maxDelay);
            }
            if (decodeThreads < 1) {
                throw new IllegalArgumentException("decoding threads must be at least 1, got " + decodeThreads);
            }
            int capacity = queueCapacity < 0 ? 8 * maxBatch : queueCapacity;
            if (capacity < maxBatch) {
                throw new IllegalArgumentException("the queue must hold at least a batch (" + maxBatch + "), got " + capacity);
            }
            AestheticsModel m = model;
            if (m == null) {
                if (file == null) {
                    throw new IllegalArgumentException("no model: call setModel first");
                }
                m = type == null ? ModelOpener.open(file, inputSize).model() : ModelOpener.open(type, file, inputSize).model();
            }
            return new Scorer(m, maxBatch, maxDelay.toNanos(), capacity, decodeThreads, maxPixels);
        }
    }
}
