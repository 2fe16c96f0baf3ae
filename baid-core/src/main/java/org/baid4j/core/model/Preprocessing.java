package org.baid4j.core.model;

import java.util.Arrays;

/**
 * What a model expects of an image before its first layer, carried with the model (as timm's
 * {@code pretrained_cfg}): the square input side, the resize filter, and the per-channel mean and
 * std of the normalisation, in RGB order, applied to values scaled to [0, 1].
 *
 * @param inputSize square side the image is resized to
 * @param resize    the resize filter: {@link #PILLOW_BILINEAR} is torchvision's Resize on a PIL image
 * @param mean      per-channel mean, RGB
 * @param std       per-channel standard deviation, RGB
 */
public record Preprocessing(int inputSize, String resize, float[] mean, float[] std) {
    public static final String PILLOW_BILINEAR = "pillow-bilinear";

    public Preprocessing {
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + inputSize);
        }
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std must have three channels");
        }
        for (float sd : std) {
            if (!(sd > 0) || !Float.isFinite(sd)) {
                throw new IllegalArgumentException("std must be positive in every channel, got " + java.util.Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The reference's: Pillow's bilinear resize to a square, ImageNet's mean and std (float32, as torchvision's Normalize). */
    public static Preprocessing imageNet(int inputSize) {
        return new Preprocessing(inputSize, PILLOW_BILINEAR, new float[]{0.485f, 0.456f, 0.406f},
                new float[]{0.229f, 0.224f, 0.225f});
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.inputSize == inputSize && p.resize.equals(resize)
                && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * inputSize + resize.hashCode()) + Arrays.hashCode(mean) * 7 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return inputSize + "x" + inputSize + " " + resize + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
