package org.baid4j.studies.bench;

import org.baid4j.core.io.OutputFile;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/**
 * JPEGs of BAID's typical size (1024 x 768, quality 90, about 300 KB: BAID averages 430 KB) for
 * benchmarks on a machine without the dataset: smooth colour fields with grain, so that the
 * entropy decoder has real work.
 */
public final class BenchImages {
    private BenchImages() {
    }

    public static List<String> write(Path dir, int count, long seed) throws IOException {
        Files.createDirectories(dir);
        int w = 1024;
        int h = 768;
        List<String> names = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            String name = String.format("%03d.jpg", i);
            Path file = dir.resolve(name);
            names.add(name);
            if (Files.exists(file)) {
                continue;
            }
            byte[] bgr = new byte[w * h * 3];
            double a = random.nextDouble() * 6;
            double b = random.nextDouble() * 6;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = 3 * (y * w + x);
                    bgr[at] = clip(128 + 100 * Math.sin(x / 97.0 + a) + random.nextGaussian() * 12);
                    bgr[at + 1] = clip(128 + 100 * Math.cos(y / 53.0 + b) + random.nextGaussian() * 12);
                    bgr[at + 2] = clip(128 + 90 * Math.sin((x + y) / 71.0) + random.nextGaussian() * 12);
                }
            }
            try (BytePointer pixels = new BytePointer(bgr);
                 Mat mat = new Mat(h, w, CV_8UC3, pixels);
                 BytePointer jpeg = new BytePointer()) {
                imencode(".jpg", mat, jpeg, new IntPointer(IMWRITE_JPEG_QUALITY, 90));
                byte[] out = new byte[(int) jpeg.limit()];
                jpeg.get(out);
                OutputFile.write(file, out);
            }
        }
        return names;
    }

    private static byte clip(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }
}
