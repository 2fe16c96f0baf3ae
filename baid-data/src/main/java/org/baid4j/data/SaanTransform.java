package org.baid4j.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;

/**
 * The reference's transforms: decode (OpenCV, BGR to RGB), resize to size x size with Pillow's
 * bilinear filter, (training only) a horizontal flip, scale to [0, 1] and normalise with the
 * ImageNet mean and std, all in float32 as torchvision does, into NCHW.
 */
public final class SaanTransform {
    /** ImageNet statistics in RGB order, as torchvision's Normalize takes them (float32). */
    static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] STD = {0.229f, 0.224f, 0.225f};

    /** (v / 255 - mean) / std for every uint8 v, per channel: the same float32 values, looked up. */
    private static final float[][] NORMALISED = new float[3][256];

    static {
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                NORMALISED[c][v] = (v / 255f - MEAN[c]) / STD[c];
            }
        }
    }

    private final int size;

    public SaanTransform(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size " + size);
        }
        this.size = size;
    }

    /** Decodes and resizes a file: the uint8 RGB image the network's input is made of. */
    public RgbImage resize(Path file) throws ImageDecodeException {
        return ImageDecoder.withBgrPixels(file, bgr -> PillowResize.resample(bgr, size, size, true));
    }

    public int size() {
        return size;
    }

    /** The resized uint8 image (before normalisation). */
    public RgbImage resize(RgbImage image) {
        return PillowResize.bilinear(image, size, size);
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
        if (resized.width() != size || resized.height() != size) {
            throw new IllegalArgumentException("expected " + size + "x" + size + ", got "
                    + resized.width() + "x" + resized.height());
        }
        float[] out = new float[3 * size * size];
        write(resized, flip, out, 0);
        return out;
    }

    /** Writes the normalised CHW image into {@code out} from {@code offset} (a batch's slot). */
    public void write(RgbImage resized, boolean flip, float[] out, int offset) {
        int plane = size * size;
        byte[] rgb = resized.rgb();
        float[] r = NORMALISED[0];
        float[] g = NORMALISED[1];
        float[] b = NORMALISED[2];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int from = 3 * (y * size + (flip ? size - 1 - x : x));
                int to = offset + y * size + x;
                out[to] = r[rgb[from] & 0xFF];
                out[to + plane] = g[rgb[from + 1] & 0xFF];
                out[to + 2 * plane] = b[rgb[from + 2] & 0xFF];
            }
        }
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
        float[] r = NORMALISED[0];
        float[] g = NORMALISED[1];
        float[] b = NORMALISED[2];
        float[] row = new float[size];
        for (int c = 0; c < 3; c++) {
            float[] lut = c == 0 ? r : c == 1 ? g : b;
            for (int y = 0; y < size; y++) {
                int rowStart = 3 * y * size + c;
                for (int x = 0; x < size; x++) {
                    row[x] = lut[rgb[rowStart + 3 * (flip ? size - 1 - x : x)] & 0xFF];
                }
                out.put(offset + c * plane + y * size, row);
            }
        }
    }

    /** Already-transformed images stacked into [B, 3, size, size]. */
    public INDArray batch(List<float[]> images) {
        int per = 3 * size * size;
        float[] all = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, all, i * per, per);
        }
        return Nd4j.create(all, new long[]{images.size(), 3, size, size}, DataType.FLOAT);
    }
}
