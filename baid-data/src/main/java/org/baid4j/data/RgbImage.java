package org.baid4j.data;

import java.awt.image.BufferedImage;

/**
 * An 8-bit RGB image, pixels interleaved row by row ({@code rgb[3 * (y * width + x) + c]}).
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("RGB image " + width + "x" + height + " with " + rgb.length + " bytes");
        }
    }

    /**
     * The pixels of an image already decoded in Java, as its colour model gives them in sRGB, alpha
     * dropped (as OpenCV's {@code IMREAD_COLOR} drops it). Java's decoders are not the reference's,
     * so a file decoded here ({@link ImageDecoder}) and by ImageIO may differ.
     */
    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] row = new int[w];
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0, i = 3 * y * w; x < w; x++, i += 3) {
                int p = row[x];
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** This image as a Java image (for display, thumbnails, ImageIO). */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0, i = 3 * y * width; x < width; x++, i += 3) {
                row[x] = (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF);
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0-255. */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }
}
