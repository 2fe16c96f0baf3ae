package org.baid4j.studies.demo;

import org.baid4j.core.io.OutputFile;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

/**
 * A small artwork set that needs no download: procedurally painted canvases (colour fields and
 * brush strokes), each degraded with an operation of known strength (Gaussian blur or Gaussian
 * noise, two of the reference's pretraining operations; over-exposure and colour quantisation are
 * here too but left out of the demo) and scored by that strength: the cleaner, the higher. Written as a BAID root
 * (images/ and dataset/{train,val,test}_set.csv), so the demo runs the real training code.
 */
public final class PaintedArtworks {
    /** Operations in use: blur and noise, the two that stay visible at the demo's 64 pixels. */
    static final int OPERATIONS = 2;

    private PaintedArtworks() {
    }

    /** Writes {@code train + val + test} paintings of {@code side} pixels into {@code root}. */
    public static void write(Path root, int train, int val, int test, int side, long seed) throws IOException {
        Path images = Files.createDirectories(root.resolve("images"));
        Path dataset = Files.createDirectories(root.resolve("dataset"));
        SplittableRandom random = new SplittableRandom(seed);
        int[] counts = {train, val, test};
        String[] files = {"train_set.csv", "val_set.csv", "test_set.csv"};
        int index = 0;
        for (int s = 0; s < 3; s++) {
            StringBuilder csv = new StringBuilder("image,score\n");
            for (int i = 0; i < counts[s]; i++) {
                String name = String.format(Locale.ROOT, "%05d.png", index++);
                double strength = random.nextDouble();
                int operation = random.nextInt(OPERATIONS);
                byte[] bgr = paint(side, random.split());
                degrade(bgr, side, operation, strength, random.split());
                try (BytePointer p = new BytePointer(bgr); Mat mat = new Mat(side, side, CV_8UC3, p);
                     BytePointer png = new BytePointer()) {
                    imencode(".png", mat, png);
                    byte[] bytes = new byte[(int) png.limit()];
                    png.get(bytes);
                    OutputFile.write(images.resolve(name), bytes);
                }
                double score = Math.max(0, Math.min(10, 9 - 7.5 * strength + random.nextGaussian() * 0.3));
                csv.append(name).append(',').append(String.format(Locale.ROOT, "%.4f", score)).append('\n');
            }
            OutputFile.writeString(dataset.resolve(files[s]), csv);
        }
    }

    /** Colour fields with a few dozen strokes, BGR. */
    static byte[] paint(int side, SplittableRandom random) {
        double[] base = {random.nextDouble() * 255, random.nextDouble() * 255, random.nextDouble() * 255};
        double[] tilt = {random.nextGaussian() * 80, random.nextGaussian() * 80, random.nextGaussian() * 80};
        double angle = random.nextDouble() * Math.PI;
        double[] img = new double[3 * side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double t = ((x * Math.cos(angle) + y * Math.sin(angle)) / side) - 0.5;
                for (int c = 0; c < 3; c++) {
                    img[3 * (y * side + x) + c] = base[c] + tilt[c] * t;
                }
            }
        }
        int strokes = 20 + random.nextInt(30);
        for (int k = 0; k < strokes; k++) {
            double cx = random.nextDouble() * side;
            double cy = random.nextDouble() * side;
            double dx = random.nextGaussian() * side / 4;
            double dy = random.nextGaussian() * side / 4;
            double width = 1 + random.nextDouble() * side / 20;
            double[] colour = {random.nextDouble() * 255, random.nextDouble() * 255, random.nextDouble() * 255};
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double len2 = dx * dx + dy * dy + 1e-9;
                    double u = Math.max(0, Math.min(1, ((x - cx) * dx + (y - cy) * dy) / len2));
                    double px = cx + u * dx - x;
                    double py = cy + u * dy - y;
                    if (px * px + py * py <= width * width) {
                        for (int c = 0; c < 3; c++) {
                            img[3 * (y * side + x) + c] = colour[c];
                        }
                    }
                }
            }
        }
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(img[i])));
        }
        return out;
    }

    /** One of four degradations at strength s in [0, 1]. */
    static void degrade(byte[] bgr, int side, int operation, double s, SplittableRandom random) {
        switch (operation) {
            case 0: {   // Gaussian blur, sigma up to 4% of the side
                double sigma = 0.05 + s * side * 0.04;
                try (BytePointer p = new BytePointer(bgr); Mat mat = new Mat(side, side, CV_8UC3, p);
                     Mat out = new Mat()) {
                    GaussianBlur(mat, out, new Size(0, 0), sigma);
                    out.data().get(bgr);
                }
                break;
            }
            case 1:     // Gaussian noise, sigma up to 0.35 of the range
                for (int i = 0; i < bgr.length; i++) {
                    bgr[i] = clip((bgr[i] & 0xFF) + random.nextGaussian() * 255 * 0.35 * s);
                }
                break;
            case 2:     // over-exposure, x1 .. x2.5, clipped
                for (int i = 0; i < bgr.length; i++) {
                    bgr[i] = clip((bgr[i] & 0xFF) * (1 + 1.5 * s));
                }
                break;
            default: {  // colour quantisation: 64 levels down to 2 per channel
                int levels = (int) Math.round(Math.pow(2, 6 - 5 * s));
                double step = 255.0 / Math.max(1, levels - 1);
                for (int i = 0; i < bgr.length; i++) {
                    bgr[i] = clip(Math.round((bgr[i] & 0xFF) / step) * step);
                }
            }
        }
    }

    private static byte clip(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
