package org.baid4j.data.pretraining;

import org.baid4j.data.ImageDecoder;
import org.baid4j.data.TinyBaid;
import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The 30 operations against the reference's own (tools/opencv/degradations.py, run with Debian's
 * OpenCV 4.6 on the same inputs; here bytedeco's 4.5.5). Deterministic operations are compared
 * pixel by pixel on the reference's resized inputs; random ones (noise, k-means, CutMix) by what
 * they must satisfy.
 */
@Tag("parity")
class DegradationsParityTest {
    static final Path EXAMPLES = TinyBaid.EXAMPLES;
    static final List<String> IMAGES = List.of("brushwork.png", "harbour-progressive.jpg", "sunset-strokes.jpg",
            "poster-palette.png");
    static final int SIDE = 224;

    @TempDir
    static Path reference;

    @BeforeAll
    static void renderTheReference() throws Exception {
        String[] args = new String[IMAGES.size() + 2];
        args[0] = "--out";
        args[1] = reference.toString();
        for (int i = 0; i < IMAGES.size(); i++) {
            args[i + 2] = EXAMPLES.resolve(IMAGES.get(i)).toString();
        }
        ReferencePython.runWith("cv2, numpy", ReferencePython.REPO.resolve("tools/opencv/degradations.py"), args);
    }

    static BgrImage png(String stem, String name) throws Exception {
        return ImageDecoder.withBgrPixels(reference.resolve(stem).resolve(name), BgrImage::of);
    }

    static String stem(String image) {
        return image.substring(0, image.lastIndexOf('.'));
    }

    /** Reference input and partner (the next image, as the script pairs them). */
    static BgrImage[] inputs(int n) throws Exception {
        return new BgrImage[]{png(stem(IMAGES.get(n)), "resized.png"), png(stem(IMAGES.get((n + 1) % IMAGES.size())), "resized.png")};
    }

    @Test
    void readingAndResizingEqualCvImreadAndCvResize() throws Exception {
        for (String image : IMAGES) {
            BgrImage java = PretrainingImages.read(EXAMPLES.resolve(image), SIDE);
            assertArrayEquals(png(stem(image), "resized.png").bgr(), java.bgr(), image);
        }
    }

    @Test
    void theJpegRoundTripEqualsTheReferences() throws Exception {
        for (String image : IMAGES) {
            BgrImage java = PretrainingImages.jpegRoundTrip(png(stem(image), "resized.png"));
            Difference d = Difference.of(png(stem(image), "jpeg.png"), java);
            assertEquals(0, d.differing, image + ": " + d);
        }
    }

    /** Deterministic operations: equal to the byte, but where OpenCV's two versions round their float filters differently. */
    @Test
    void deterministicOperationsEqualTheReferences() throws Exception {
        StringBuilder report = new StringBuilder();
        for (int n = 0; n < IMAGES.size(); n++) {
            BgrImage[] in = inputs(n);
            for (Degradation op : Degradation.values()) {
                if (op.family().random()) {
                    continue;
                }
                BgrImage java = Degradations.apply(op, in[0], in[1], new SplittableRandom(1));
                Difference d = Difference.of(png(stem(IMAGES.get(n)), String.format(Locale.ROOT, "%02d.png", op.number())), java);
                report.append(String.format(Locale.ROOT, "%s %s: %s%n", IMAGES.get(n), op.label(), d));
                Tolerance t = Tolerance.of(op.family());
                assertTrue(d.worst <= t.worst && d.share() <= t.share, IMAGES.get(n) + " " + op.label() + ": " + d
                        + " (tolerance " + t + ")");
            }
        }
        System.out.print(report);
    }

    /**
     * Measured on a 2-core AMD EPYC (AVX-512): every deterministic operation equal to the byte,
     * stylization and pencil sketch included. Those two run float filters (domain transform,
     * edge-preserving) whose SIMD paths OpenCV picks per CPU, and the two builds (4.5.5, 4.6) may
     * pick differently elsewhere: they keep a margin of a few levels on under 1% of the values.
     * The integer and numpy operations have none.
     */
    record Tolerance(int worst, double share) {
        static Tolerance of(Degradation.Family family) {
            return switch (family) {
                case STYLIZATION, PENCIL_SKETCH -> new Tolerance(8, 0.01);
                default -> new Tolerance(0, 0);
            };
        }
    }

    @Test
    void noiseHasTheReferencesDistribution() throws Exception {
        for (int n = 0; n < IMAGES.size(); n++) {
            BgrImage[] in = inputs(n);
            for (Degradation op : List.of(Degradation.NOISE_1, Degradation.NOISE_2, Degradation.NOISE_3)) {
                BgrImage java = Degradations.apply(op, in[0], in[1], new SplittableRandom(7));
                BgrImage python = png(stem(IMAGES.get(n)), String.format(Locale.ROOT, "%02d.png", op.number()));
                double[] j = residualMoments(in[0], java);
                double[] p = residualMoments(in[0], python);
                assertEquals(p[0], j[0], 0.6, op.label() + " mean residual");
                assertEquals(p[1], j[1], 0.02 * p[1], op.label() + " residual's standard deviation");
                assertEquals(p[2], j[2], 0.01, op.label() + " share of clipped values");
            }
        }
        BgrImage image = inputs(0)[0];
        assertArrayEquals(Degradations.apply(Degradation.NOISE_2, image, null, new SplittableRandom(3)).bgr(),
                Degradations.apply(Degradation.NOISE_2, image, null, new SplittableRandom(3)).bgr(), "same seed, same pixels");
    }

    /** Mean and standard deviation of (out - in) in levels, and the share of values at 0 or 255. */
    static double[] residualMoments(BgrImage in, BgrImage out) {
        double sum = 0;
        double sq = 0;
        int clipped = 0;
        int n = in.bgr().length;
        for (int i = 0; i < n; i++) {
            int o = out.bgr()[i] & 0xFF;
            double r = o - (in.bgr()[i] & 0xFF);
            sum += r;
            sq += r * r;
            if (o == 0 || o == 255) {
                clipped++;
            }
        }
        double mean = sum / n;
        return new double[]{mean, Math.sqrt(sq / n - mean * mean), (double) clipped / n};
    }

    @Test
    void quantisationKeepsAtMostKColoursAtOpenCvsDistortion() throws Exception {
        for (int n = 0; n < IMAGES.size(); n++) {
            BgrImage[] in = inputs(n);
            for (Degradation op : List.of(Degradation.QUANTISATION_1, Degradation.QUANTISATION_2, Degradation.QUANTISATION_3)) {
                BgrImage java = Degradations.apply(op, in[0], in[1], new SplittableRandom(5));
                BgrImage python = png(stem(IMAGES.get(n)), String.format(Locale.ROOT, "%02d.png", op.number()));
                assertTrue(colours(java) <= op.parameter(), op.label() + ": " + colours(java) + " colours");
                double mj = mse(in[0], java);
                double mp = mse(in[0], python);
                assertEquals(mp, mj, 0.15 * mp + 0.5, IMAGES.get(n) + " " + op.label() + ": distortion (MSE) " + mj
                        + " against OpenCV's " + mp);
            }
        }
        BgrImage image = inputs(1)[0];
        assertArrayEquals(Degradations.apply(Degradation.QUANTISATION_3, image, null, new SplittableRandom(3)).bgr(),
                Degradations.apply(Degradation.QUANTISATION_3, image, null, new SplittableRandom(3)).bgr(), "same seed, same pixels");
    }

    static int colours(BgrImage image) {
        Set<Integer> seen = new HashSet<>();
        byte[] p = image.bgr();
        for (int i = 0; i < p.length; i += 3) {
            seen.add(((p[i] & 0xFF) << 16) | ((p[i + 1] & 0xFF) << 8) | (p[i + 2] & 0xFF));
        }
        return seen.size();
    }

    static double mse(BgrImage a, BgrImage b) {
        double s = 0;
        for (int i = 0; i < a.bgr().length; i++) {
            double d = (a.bgr()[i] & 0xFF) - (b.bgr()[i] & 0xFF);
            s += d * d;
        }
        return s / a.bgr().length;
    }

    @Test
    void cutMixCopiesOneSquareOfTheRightSideFromThePartner() throws Exception {
        BgrImage[] in = inputs(0);
        for (Degradation op : List.of(Degradation.CUTMIX_1, Degradation.CUTMIX_2, Degradation.CUTMIX_3)) {
            int side = (int) op.parameter();
            for (long seed = 0; seed < 5; seed++) {
                BgrImage out = Degradations.apply(op, in[0], in[1], new SplittableRandom(seed));
                assertTrue(copiedSquare(in[0], in[1], out, side), op.label() + " seed " + seed);
            }
            // The reference's own output satisfies the same check.
            assertTrue(copiedSquare(in[0], in[1], png(stem(IMAGES.get(0)), String.format(Locale.ROOT, "%02d.png", op.number())), side));
        }
    }

    /** Whether {@code out} is {@code image} but for one side x side square at rows and columns in [0, 224 - side - 1], taken from {@code partner}. */
    static boolean copiedSquare(BgrImage image, BgrImage partner, BgrImage out, int side) {
        int w = image.width();
        for (int a = 0; a <= w - side - 1; a++) {
            for (int b = 0; b <= w - side - 1; b++) {
                if (matches(image, partner, out, side, a, b)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(BgrImage image, BgrImage partner, BgrImage out, int side, int a, int b) {
        int w = image.width();
        for (int y = 0; y < image.height(); y++) {
            boolean rowIn = y >= a && y < a + side;
            for (int x = 0; x < w; x++) {
                BgrImage source = rowIn && x >= b && x < b + side ? partner : image;
                int i = 3 * (y * w + x);
                if (out.bgr()[i] != source.bgr()[i] || out.bgr()[i + 1] != source.bgr()[i + 1] || out.bgr()[i + 2] != source.bgr()[i + 2]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** How two images differ: values differing, by how much at most. */
    record Difference(int differing, int worst, int total) {
        static Difference of(BgrImage want, BgrImage got) {
            assertEquals(want.width(), got.width());
            assertEquals(want.height(), got.height());
            int differing = 0;
            int worst = 0;
            for (int i = 0; i < want.bgr().length; i++) {
                int d = Math.abs((want.bgr()[i] & 0xFF) - (got.bgr()[i] & 0xFF));
                if (d > 0) {
                    differing++;
                    worst = Math.max(worst, d);
                }
            }
            return new Difference(differing, worst, want.bgr().length);
        }

        double share() {
            return (double) differing / total;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d of %d values differ (%.3f%%), by up to %d", differing, total, 100.0 * share(), worst);
        }
    }
}
