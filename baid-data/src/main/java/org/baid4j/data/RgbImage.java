package org.baid4j.data;

/**
 * An 8-bit RGB image, pixels interleaved row by row ({@code rgb[3 * (y * width + x) + c]}).
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("RGB image " + width + "x" + height + " with " + rgb.length + " bytes");
        }
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0-255. */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }
}
