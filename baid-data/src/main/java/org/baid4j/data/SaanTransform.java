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

    private final int size;

    public SaanTransform(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size " + size);
        }
        this.size = size;
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
        return chw(resize(ImageDecoder.decode(file)));
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
        int plane = size * size;
        float[] out = new float[3 * plane];
        byte[] rgb = resized.rgb();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int from = 3 * (y * size + (flip ? size - 1 - x : x));
                int to = y * size + x;
                for (int c = 0; c < 3; c++) {
                    float v = (rgb[from + c] & 0xFF) / 255f;
                    out[c * plane + to] = (v - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
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
