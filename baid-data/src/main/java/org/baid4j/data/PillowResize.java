package org.baid4j.data;

/**
 * Pillow's {@code Image.resize(size, Image.BILINEAR)} for 8-bit RGB, to the same uint8 pixels
 * (Pillow 9/10, {@code libImaging/Resample.c}): a separable triangle filter whose support grows
 * with the shrink factor (so it antialiases, unlike OpenCV's INTER_LINEAR), coefficients
 * normalised and rounded to 22-bit fixed point, the horizontal pass first over just the rows the
 * vertical pass needs, each pass rounding and clipping to uint8.
 */
public final class PillowResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double BILINEAR_SUPPORT = 1.0;

    private PillowResize() {
    }

    /** Resamples {@code image} to {@code width} x {@code height} (aspect ratio not kept). */
    public static RgbImage bilinear(RgbImage image, int width, int height) {
        return resample(java.nio.ByteBuffer.wrap(image.rgb()), image.width(), image.height(), width, height, false);
    }

    /**
     * Resamples interleaved 3-channel pixels read from {@code in} (a heap or native buffer of
     * {@code inWidth} x {@code inHeight}) to {@code width} x {@code height}.
     */
    static RgbImage resample(java.nio.ByteBuffer in, int inWidth, int inHeight, int width, int height,
                             boolean swapRedBlue) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size " + width + "x" + height);
        }
        Coefficients horizontal = Coefficients.of(inWidth, width);
        Coefficients vertical = Coefficients.of(inHeight, height);
        boolean needHorizontal = width != inWidth;
        boolean needVertical = height != inHeight;

        byte[] pixels;
        int rows = inHeight;
        int firstRow = 0;
        if (needHorizontal) {
            // Only the source rows the vertical pass reads.
            firstRow = vertical.bounds[0];
            int lastRow = vertical.bounds[2 * (height - 1)] + vertical.bounds[2 * (height - 1) + 1];
            rows = lastRow - firstRow;
            pixels = horizontalPass(rowsOf(in, inWidth, firstRow, rows), inWidth, 0, rows, horizontal, width);
        } else {
            pixels = java.util.Arrays.copyOf(rowsOf(in, inWidth, 0, inHeight), 3 * inWidth * inHeight);
        }
        int columns = needHorizontal ? width : inWidth;
        if (needVertical) {
            pixels = verticalPass(pixels, columns, firstRow, vertical, height);
        }
        if (swapRedBlue) {
            for (int i = 0; i < pixels.length; i += 3) {
                byte t = pixels[i];
                pixels[i] = pixels[i + 2];
                pixels[i + 2] = t;
            }
        }
        return new RgbImage(columns, needVertical ? height : rows, pixels);
    }

    /**
     * Every output pixel reads a window of {@code c.size} inputs with zero weights where Pillow's
     * window is shorter ({@link Coefficients#windowStart}): a constant trip count the JIT unrolls,
     * and the same sums, since the extra products are zero.
     */
    private static byte[] horizontalPass(byte[] in, int inWidth, int firstRow, int rows, Coefficients c, int outWidth) {
        byte[] out = new byte[3 * outWidth * rows];
        int taps = c.windowTaps;
        int[] weights = c.windowWeights;
        int[] starts = c.windowStart;
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < rows; y++) {
            int rowStart = 3 * (y + firstRow) * inWidth;
            int outAt = 3 * y * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int at = rowStart + 3 * starts[x];
                int k = x * taps;
                int r = half;
                int g = half;
                int b = half;
                for (int i = 0; i < taps; i++, at += 3) {
                    int w = weights[k + i];
                    r += (in[at] & 0xFF) * w;
                    g += (in[at + 1] & 0xFF) * w;
                    b += (in[at + 2] & 0xFF) * w;
                }
                out[outAt++] = clip8(r);
                out[outAt++] = clip8(g);
                out[outAt++] = clip8(b);
            }
        }
        return out;
    }

    /**
     * {@code in} holds source rows from {@code firstRow} on, {@code width} pixels each. Each output
     * row accumulates whole input rows (integer sums: the order does not change the result), so
     * the inner loop runs along contiguous memory.
     */
    private static byte[] verticalPass(byte[] in, int width, int firstRow, Coefficients c, int outHeight) {
        int rowBytes = 3 * width;
        byte[] out = new byte[rowBytes * outHeight];
        int[] acc = new int[rowBytes];
        for (int y = 0; y < outHeight; y++) {
            int min = c.bounds[2 * y] - firstRow;
            int count = c.bounds[2 * y + 1];
            int k = y * c.size;
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            for (int i = 0; i < count; i++) {
                int w = c.fixed[k + i];
                int rowStart = (min + i) * rowBytes;
                for (int j = 0; j < rowBytes; j++) {
                    acc[j] += (in[rowStart + j] & 0xFF) * w;
                }
            }
            int outRow = y * rowBytes;
            for (int j = 0; j < rowBytes; j++) {
                out[outRow + j] = clip8(acc[j]);
            }
        }
        return out;
    }

    /** Per-thread scratch for the source rows: a full-size image per call would churn the heap. */
    private static final ThreadLocal<byte[]> SOURCE_ROWS = ThreadLocal.withInitial(() -> new byte[0]);

    /**
     * Rows [first, first + count) of the source as an array: the heap array itself when it is one,
     * else one bulk copy out of native memory into this thread's scratch (valid until its next call).
     */
    private static byte[] rowsOf(java.nio.ByteBuffer in, int width, int first, int count) {
        if (in.hasArray() && first == 0 && in.arrayOffset() == 0 && in.array().length == 3 * width * count) {
            return in.array();
        }
        int length = 3 * width * count;
        byte[] rows = SOURCE_ROWS.get();
        if (rows.length < length) {
            rows = new byte[length];
            SOURCE_ROWS.set(rows);
        }
        in.get(3 * width * first, rows, 0, length);
        return rows;
    }

    private static byte clip8(int value) {
        int v = value >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis. */
    private static final class Coefficients {
        final int size;        // coefficients reserved per output pixel
        final int[] bounds;    // per output pixel: first input index, number of inputs
        final int[] fixed;     // fixed-point weights, size per output pixel
        final int windowTaps;      // inputs every output pixel reads: size, or the whole axis if shorter
        final int[] windowStart;   // per output pixel: first input of its window
        final int[] windowWeights; // the weights over that window (zero outside Pillow's bounds)

        private Coefficients(int size, int[] bounds, int[] fixed, int inSize) {
            this.size = size;
            this.bounds = bounds;
            this.fixed = fixed;
            int outSize = bounds.length / 2;
            this.windowTaps = Math.min(size, inSize);
            this.windowStart = new int[outSize];
            this.windowWeights = new int[outSize * windowTaps];
            for (int x = 0; x < outSize; x++) {
                int start = Math.max(0, Math.min(bounds[2 * x], inSize - windowTaps));
                windowStart[x] = start;
                for (int i = 0; i < bounds[2 * x + 1]; i++) {
                    windowWeights[x * windowTaps + bounds[2 * x] - start + i] = fixed[x * size + i];
                }
            }
        }

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = BILINEAR_SUPPORT * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[2 * outSize];
            int[] fixed = new int[outSize * size];
            double[] k = new double[size];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int min = (int) (center - support + 0.5);
                if (min < 0) {
                    min = 0;
                }
                int max = (int) (center + support + 0.5);
                if (max > inSize) {
                    max = inSize;
                }
                max -= min;
                double total = 0;
                for (int x = 0; x < max; x++) {
                    double w = triangle((x + min - center + 0.5) * ss);
                    k[x] = w;
                    total += w;
                }
                for (int x = 0; x < size; x++) {
                    double w = x < max ? (total != 0.0 ? k[x] / total : k[x]) : 0.0;
                    fixed[xx * size + x] = w < 0
                            ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                            : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[2 * xx] = min;
                bounds[2 * xx + 1] = max;
            }
            return new Coefficients(size, bounds, fixed, inSize);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
