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
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size " + width + "x" + height);
        }
        Coefficients horizontal = Coefficients.of(image.width(), width);
        Coefficients vertical = Coefficients.of(image.height(), height);
        boolean needHorizontal = width != image.width();
        boolean needVertical = height != image.height();

        byte[] pixels = image.rgb();
        int rows = image.height();
        int firstRow = 0;
        if (needHorizontal) {
            // Only the source rows the vertical pass reads.
            firstRow = vertical.bounds[0];
            int lastRow = vertical.bounds[2 * (height - 1)] + vertical.bounds[2 * (height - 1) + 1];
            rows = lastRow - firstRow;
            pixels = horizontalPass(pixels, image.width(), firstRow, rows, horizontal, width);
        }
        int columns = needHorizontal ? width : image.width();
        if (needVertical) {
            pixels = verticalPass(pixels, columns, firstRow, vertical, height);
        } else if (needHorizontal) {
            return new RgbImage(width, rows, pixels);
        }
        return new RgbImage(columns, needVertical ? height : rows, pixels);
    }

    private static byte[] horizontalPass(byte[] in, int inWidth, int firstRow, int rows, Coefficients c, int outWidth) {
        byte[] out = new byte[3 * outWidth * rows];
        for (int y = 0; y < rows; y++) {
            int rowStart = 3 * (y + firstRow) * inWidth;
            int outRow = 3 * y * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int min = c.bounds[2 * x];
                int count = c.bounds[2 * x + 1];
                int k = x * c.size;
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int i = 0; i < count; i++) {
                    int at = rowStart + 3 * (min + i);
                    int w = c.fixed[k + i];
                    r += (in[at] & 0xFF) * w;
                    g += (in[at + 1] & 0xFF) * w;
                    b += (in[at + 2] & 0xFF) * w;
                }
                out[outRow + 3 * x] = clip8(r);
                out[outRow + 3 * x + 1] = clip8(g);
                out[outRow + 3 * x + 2] = clip8(b);
            }
        }
        return out;
    }

    /** {@code in} holds source rows from {@code firstRow} on, {@code width} pixels each. */
    private static byte[] verticalPass(byte[] in, int width, int firstRow, Coefficients c, int outHeight) {
        byte[] out = new byte[3 * width * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int min = c.bounds[2 * y] - firstRow;
            int count = c.bounds[2 * y + 1];
            int k = y * c.size;
            int outRow = 3 * y * width;
            for (int x = 0; x < width; x++) {
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int i = 0; i < count; i++) {
                    int at = 3 * ((min + i) * width + x);
                    int w = c.fixed[k + i];
                    r += (in[at] & 0xFF) * w;
                    g += (in[at + 1] & 0xFF) * w;
                    b += (in[at + 2] & 0xFF) * w;
                }
                out[outRow + 3 * x] = clip8(r);
                out[outRow + 3 * x + 1] = clip8(g);
                out[outRow + 3 * x + 2] = clip8(b);
            }
        }
        return out;
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
