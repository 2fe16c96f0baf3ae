package org.baid4j.data;

import org.baid4j.core.model.Preprocessing;

import java.nio.file.Path;

/**
 * The reference's transforms: decode (OpenCV, BGR to RGB), resize to size x size with Pillow's
 * bilinear filter, (training only) a horizontal flip, scale to [0, 1] and normalise with the
 * ImageNet mean and std, all in float32 as torchvision does, into NCHW.
 */
public final class SaanTransform {
    /** (v / 255 - mean) / std for every uint8 v, per channel: the same float32 values, looked up. */
    private final float[][] normalised = new float[3][256];
    private final int size;

    /** The reference's transform at {@code size}: {@link Preprocessing#imageNet}. */
    public SaanTransform(int size) {
        this(Preprocessing.imageNet(size));
    }

    /** The transform a model's preprocessing asks for. */
    public SaanTransform(Preprocessing preprocessing) {
        if (!Preprocessing.PILLOW_BILINEAR.equals(preprocessing.resize())) {
            throw new IllegalArgumentException("resize filter '" + preprocessing.resize() + "' is not supported (only "
                    + Preprocessing.PILLOW_BILINEAR + ")");
        }
        this.size = preprocessing.inputSize();
        float[] mean = preprocessing.mean();
        float[] std = preprocessing.std();
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                normalised[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    /** Decodes and resizes a file: the uint8 RGB image the network's input is made of. */
    public RgbImage resize(Path file) throws ImageDecodeException {
        return resize(file, ImageDecoder.read(file));
    }

    /** {@link #resize(Path)} of bytes already read from {@code file} (named in errors only). */
    public RgbImage resize(Path file, byte[] data) throws ImageDecodeException {
        return resize(file, data, ImageDecoder.MAX_PIXELS);
    }

    /** ... refusing an image of more than {@code maxPixels} pixels, as decoded (its header may not say). */
    public RgbImage resize(Path file, byte[] data, long maxPixels) throws ImageDecodeException {
        long[] decodedSize = new long[2];
        RgbImage resized = ImageDecoder.withBgrPixels(file, data, bgr -> {
            decodedSize[0] = bgr.cols();
            decodedSize[1] = bgr.rows();
            return decodedSize[0] * decodedSize[1] > maxPixels ? null : PillowResize.resample(bgr, size, size, true);
        });
        if (resized == null) {
            throw new ImageDecodeException(file, String.format(java.util.Locale.ROOT, "too large: %dx%d pixels, the limit"
                    + " is %,d", decodedSize[0], decodedSize[1], maxPixels), ImageDecodeException.Kind.TOO_LARGE);
        }
        return resized;
    }

    /** Resizes an image already decoded (see {@link RgbImage#of}). */
    public RgbImage resize(RgbImage image) {
        return PillowResize.bilinear(image, size, size);
    }

    public int size() {
        return size;
    }

    /** One image file as a [3, size, size] float array in CHW order. */
    public float[] chw(Path file) throws ImageDecodeException {
        return chw(resize(file));
    }

    /** A resized image, normalised, as [3, size, size] in CHW order. */
    public float[] chw(RgbImage resized) {
        return chw(resized, false);
    }

    /** As {@link #chw(RgbImage)}, mirrored left-right when {@code flip} (the training augmentation). */
    public float[] chw(RgbImage resized, boolean flip) {
        float[] out = new float[3 * size * size];
        write(resized, flip, java.nio.FloatBuffer.wrap(out), 0);
        return out;
    }

    /**
     * Writes the normalised CHW image into a float buffer from element {@code offset}: the input
     * pipeline fills each image's slot of a batch's native memory directly, with no intermediate
     * arrays.
     */
    public void write(RgbImage resized, boolean flip, java.nio.FloatBuffer out, int offset) {
        if (resized.width() != size || resized.height() != size) {
            throw new IllegalArgumentException("expected " + size + "x" + size + ", got "
                    + resized.width() + "x" + resized.height());
        }
        int plane = size * size;
        byte[] rgb = resized.rgb();
        float[] row = new float[size];
        for (int c = 0; c < 3; c++) {
            float[] lut = normalised[c];
            for (int y = 0; y < size; y++) {
                int rowStart = 3 * y * size + c;
                for (int x = 0; x < size; x++) {
                    row[x] = lut[rgb[rowStart + 3 * (flip ? size - 1 - x : x)] & 0xFF];
                }
                out.put(offset + c * plane + y * size, row);
            }
        }
    }
}
