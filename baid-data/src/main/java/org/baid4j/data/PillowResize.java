package org.baid4j.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.transpose;

/**
 * Pillow's {@code Image.resize(size, Image.BILINEAR)} for 8-bit RGB, to the same uint8 pixels
 * (Pillow 9/10, {@code libImaging/Resample.c}): a separable triangle filter whose support grows
 * with the shrink factor (so it antialiases, unlike OpenCV's INTER_LINEAR), coefficients
 * normalised and rounded to 22-bit fixed point, the horizontal pass first, each pass rounding and
 * clipping to uint8. A pass is skipped, as in Pillow, when its axis keeps its size.
 *
 * <p>How it is fast on Java 17: both passes are done as a filter <em>across rows</em> (the
 * horizontal one on the image transposed by OpenCV, then transposed back), so that every inner
 * loop adds whole rows times one weight, at the same index in every array: the only form C2
 * vectorises. Rows are read as little-endian ints, four channel bytes each, and each byte lane has
 * its own accumulator, because C2 does not vectorise byte-to-int conversions. Sums are exact
 * integers, so the result is Pillow's whatever the order of additions.
 */
public final class PillowResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double BILINEAR_SUPPORT = 1.0;

    private PillowResize() {
    }

    /** Resamples {@code image} to {@code width} x {@code height} (aspect ratio not kept). */
    public static RgbImage bilinear(RgbImage image, int width, int height) {
        byte[] rgb = image.rgb();
        try (BytePointer pixels = new BytePointer(rgb.length);
             Mat mat = new Mat(image.height(), image.width(), CV_8UC3, pixels.put(rgb))) {
            return resample(mat, width, height, false);
        }
    }

    /**
     * Resamples {@code pixels} (8-bit, 3 channels, in native memory, e.g. as decoded) to
     * {@code width} x {@code height}; {@code swapRedBlue} turns BGR into RGB on the way out.
     */
    static RgbImage resample(Mat pixels, int width, int height, boolean swapRedBlue) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size " + width + "x" + height);
        }
        if (pixels.type() != CV_8UC3) {
            throw new IllegalArgumentException("expected 8-bit 3-channel pixels, got OpenCV type " + pixels.type());
        }
        int inWidth = pixels.cols();
        int inHeight = pixels.rows();
        Scratch scratch = SCRATCH.get();
        Mat current = pixels;
        Mat horizontal = null;
        Mat vertical = null;
        try {
            if (width != inWidth) {
                // Columns become rows, are filtered as rows, and come back: inHeight x width.
                try (Mat columns = scratch.transposed.mat(inWidth, inHeight);
                     Mat filtered = scratch.filtered.mat(width, inHeight)) {
                    transpose(pixels, columns);
                    filterRows(columns, Coefficients.of(inWidth, width), filtered, scratch);
                    horizontal = scratch.horizontal.mat(inHeight, width);
                    transpose(filtered, horizontal);
                }
                current = horizontal;
            }
            if (height != inHeight) {
                vertical = scratch.vertical.mat(height, current.cols());
                filterRows(current, Coefficients.of(inHeight, height), vertical, scratch);
                current = vertical;
            }
            return copyOut(current, swapRedBlue);
        } finally {
            if (horizontal != null) {
                horizontal.close();
            }
            if (vertical != null) {
                vertical.close();
            }
        }
    }

    /**
     * Output row y = sum over i of weight(y, i) x input row (first(y) + i), byte by byte, in
     * Pillow's fixed point. Input rows are copied into int arrays once each, through a ring as
     * long as the widest window, so memory does not grow with the image.
     */
    private static void filterRows(Mat in, Coefficients c, Mat out, Scratch scratch) {
        int rowBytes = 3 * in.cols();
        int ints = (rowBytes + 3) / 4;
        Lines lines = scratch.lines(c.size, ints);
        ByteBuffer input = bytes(in);
        int inStep = (int) in.step();
        // Rows starting at multiples of 4 bytes (all but a decoded image of odd width) are read as ints directly.
        IntBuffer aligned = inStep % 4 == 0 ? input.asIntBuffer() : null;
        IntBuffer output = bytes(out).asIntBuffer();
        int outStepInts = (int) (out.step() / 4);
        int[] a0 = lines.acc[0];
        int[] a1 = lines.acc[1];
        int[] a2 = lines.acc[2];
        int[] a3 = lines.acc[3];
        int[] packed = lines.packed;
        int half = 1 << (PRECISION_BITS - 1);
        int outRows = c.bounds.length / 2;
        for (int y = 0; y < outRows; y++) {
            java.util.Arrays.fill(a0, 0, ints, half);
            java.util.Arrays.fill(a1, 0, ints, half);
            java.util.Arrays.fill(a2, 0, ints, half);
            java.util.Arrays.fill(a3, 0, ints, half);
            int first = c.bounds[2 * y];
            int count = c.bounds[2 * y + 1];
            for (int i = 0; i < count; i++) {
                int w = c.fixed[y * c.size + i];
                int[] row = lines.row(first + i, input, aligned, inStep, rowBytes);
                for (int j = 0; j < ints; j++) {
                    int v = row[j];
                    a0[j] += (v & 0xFF) * w;
                    a1[j] += ((v >>> 8) & 0xFF) * w;
                    a2[j] += ((v >>> 16) & 0xFF) * w;
                    a3[j] += (v >>> 24) * w;
                }
            }
            for (int j = 0; j < ints; j++) {
                packed[j] = clip8(a0[j]) | clip8(a1[j]) << 8 | clip8(a2[j]) << 16 | clip8(a3[j]) << 24;
            }
            output.put(y * outStepInts, packed, 0, ints);
        }
    }

    private static int clip8(int value) {
        return Math.min(Math.max(value >> PRECISION_BITS, 0), 255);
    }

    private static ByteBuffer bytes(Mat mat) {
        return mat.data().capacity(mat.step() * mat.rows()).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static RgbImage copyOut(Mat mat, boolean swapRedBlue) {
        int rowBytes = 3 * mat.cols();
        byte[] out = new byte[rowBytes * mat.rows()];
        ByteBuffer in = bytes(mat);
        for (int y = 0; y < mat.rows(); y++) {
            in.get((int) (y * mat.step()), out, y * rowBytes, rowBytes);
        }
        if (swapRedBlue) {
            for (int i = 0; i < out.length; i += 3) {
                byte t = out[i];
                out[i] = out[i + 2];
                out[i + 2] = t;
            }
        }
        return new RgbImage(mat.cols(), mat.rows(), out);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A thread's working memory, grown to the largest image seen and reused (no per-image allocation). */
    private static final class Scratch {
        final Plane transposed = new Plane();
        final Plane filtered = new Plane();
        final Plane horizontal = new Plane();
        final Plane vertical = new Plane();
        private Lines lines;

        Lines lines(int ringSize, int ints) {
            if (lines == null || lines.ring.length < ringSize || lines.packed.length < ints) {
                int capacity = Math.max(ints, lines == null ? 0 : lines.packed.length);
                lines = new Lines(Math.max(ringSize, lines == null ? 0 : lines.ring.length), capacity);
            }
            lines.forget();
            return lines;
        }
    }

    /** Native memory for an intermediate image whose rows start at multiples of 4 bytes. */
    private static final class Plane {
        private BytePointer memory = new BytePointer(0L);

        /** A Mat over this memory (close it after use; the memory stays). */
        Mat mat(int rows, int cols) {
            long step = (3L * cols + 3) / 4 * 4;
            if (memory.capacity() < step * rows) {
                memory.close();
                memory = new BytePointer(step * rows);
            }
            return new Mat(rows, cols, CV_8UC3, memory, step);
        }
    }

    /** The input rows a window needs, as ints, in a ring; accumulators; one packed output row. */
    private static final class Lines {
        final int[][] ring;
        final int[] loaded;
        final int[][] acc = new int[4][];
        final int[] packed;

        Lines(int ringSize, int ints) {
            ring = new int[ringSize][ints];
            loaded = new int[ringSize];
            for (int k = 0; k < 4; k++) {
                acc[k] = new int[ints];
            }
            packed = new int[ints];
        }

        void forget() {
            java.util.Arrays.fill(loaded, -1);
        }

        /**
         * Row {@code r} as ints (4 bytes each, little-endian; spare bytes of the last int are
         * padding or zero, and their lanes are never read back).
         * Windows only move forward, so the ring never evicts a row still needed.
         */
        int[] row(int r, ByteBuffer input, IntBuffer aligned, int step, int rowBytes) {
            int slot = r % ring.length;
            int[] row = ring[slot];
            if (loaded[slot] == r) {
                return row;
            }
            loaded[slot] = r;
            if (aligned != null) {
                aligned.get(r * (step / 4), row, 0, (rowBytes + 3) / 4);   // the row's padding fills the last int
            } else {
                int whole = rowBytes / 4;
                int start = r * step;
                input.slice(start, 4 * whole).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(row, 0, whole);
                if (whole * 4 < rowBytes) {
                    int last = 0;
                    for (int b = whole * 4; b < rowBytes; b++) {
                        last |= (input.get(start + b) & 0xFF) << (8 * (b - whole * 4));
                    }
                    row[whole] = last;
                }
            }
            return row;
        }
    }

    /** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis. */
    private static final class Coefficients {
        final int size;        // coefficients reserved per output pixel
        final int[] bounds;    // per output pixel: first input index, number of inputs
        final int[] fixed;     // fixed-point weights, size per output pixel

        private Coefficients(int size, int[] bounds, int[] fixed) {
            this.size = size;
            this.bounds = bounds;
            this.fixed = fixed;
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
            return new Coefficients(size, bounds, fixed);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
