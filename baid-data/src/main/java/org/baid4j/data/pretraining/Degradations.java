package org.baid4j.data.pretraining;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

import java.util.SplittableRandom;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.KMEANS_RANDOM_CENTERS;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.bytedeco.opencv.global.opencv_photo.pencilSketch;
import static org.bytedeco.opencv.global.opencv_photo.stylization;

/**
 * The 30 operations with the reference's own arithmetic ({@code pretraining_utils/operations.py}):
 * OpenCV's functions where it calls them (bytedeco's OpenCV 4.5.5), and numpy's float64 then
 * {@code np.uint8} truncation where it computes pixels itself. The random ones draw from the
 * {@link SplittableRandom} they are given (k-means seeds OpenCV's generator from it), so that the
 * same seed, image and operation give the same pixels. Images are square as the reference makes
 * them; CutMix's squares scale with the side (32, 64 and 128 at 224).
 */
public final class Degradations {
    /** The side the reference renders at; CutMix's squares are given for it. */
    public static final int REFERENCE_SIDE = 224;

    private Degradations() {
    }

    /**
     * {@code op} applied to {@code image}; {@code partner} is CutMix's other image, of the same size
     * (ignored by the other operations).
     */
    public static BgrImage apply(Degradation op, BgrImage image, BgrImage partner, SplittableRandom random) {
        double p = op.parameter();
        return switch (op.family()) {
            case STYLIZATION -> withMats(image, (src, dst) -> stylization(src, dst, 50f, (float) p));
            case NOISE -> gaussianNoise(image, p, random);
            case CROP -> withMats(image, (src, dst) -> crop(src, dst, (int) p));
            case QUANTISATION -> quantise(image, (int) p, random);
            case BLUR -> withMats(image, (src, dst) -> GaussianBlur(src, dst, new Size(5, 5), p));
            case CONVEX -> convex(image, (int) p);
            case PENCIL_SKETCH -> withMats(image, (src, dst) -> {
                try (Mat grey = new Mat()) {
                    pencilSketch(src, grey, dst, 100f, (float) p, 0.02f);
                }
            });
            case EXPOSURE -> exposure(image, p);
            case CUTMIX -> cutMix(image, partner, (int) p, random);
            case ROTATION -> withMats(image, (src, dst) -> rotate(src, dst, p));
            case NONE -> new BgrImage(image.width(), image.height(), image.bgr().clone());
        };
    }

    private interface MatOperation {
        void apply(Mat src, Mat dst);
    }

    private static BgrImage withMats(BgrImage image, MatOperation operation) {
        try (Mat src = image.toMat(); Mat dst = new Mat()) {
            operation.apply(src, dst);
            return BgrImage.of(dst);
        }
    }

    /** {@code x/255 + N(0, sigma)} in float64, clipped to [0, 1], times 255, truncated. */
    static BgrImage gaussianNoise(BgrImage image, double sigma, SplittableRandom random) {
        byte[] in = image.bgr();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            double v = (in[i] & 0xFF) / 255.0 + sigma * random.nextGaussian();
            v = Math.min(1.0, Math.max(0.0, v));
            out[i] = (byte) (int) (v * 255);
        }
        return new BgrImage(image.width(), image.height(), out);
    }

    /** Rows {@code [0, h - h//f)} and columns {@code [0, w - w//f)}, resized back with INTER_LINEAR. */
    private static void crop(Mat src, Mat dst, int f) {
        int w = src.cols();
        int h = src.rows();
        try (Rect keep = new Rect(0, 0, w - w / f, h - h / f); Mat part = new Mat(src, keep); Size size = new Size(w, h)) {
            resize(part, dst, size);
        }
    }

    /**
     * {@code cv.kmeans} on the float32 pixels, K clusters, criteria (EPS + MAX_ITER, 10, 1.0), 10
     * attempts, random centres (OpenCV's generator seeded from {@code random}); each pixel becomes
     * its centre, cast as {@code np.uint8} does (truncation).
     */
    static BgrImage quantise(BgrImage image, int k, SplittableRandom random) {
        byte[] in = image.bgr();
        int n = in.length / 3;
        float[] samples = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            samples[i] = in[i] & 0xFF;
        }
        try (Mat data = new Mat(n, 3, CV_32F); Mat labels = new Mat(); Mat centres = new Mat();
             TermCriteria criteria = new TermCriteria(TermCriteria.EPS + TermCriteria.MAX_ITER, 10, 1.0)) {
            try (FloatPointer d = new FloatPointer(data.data())) {
                d.capacity(samples.length).put(samples);
            }
            // OpenCV's generator is per thread: seeding it here makes the centres' start depend on the sample only.
            setRNGSeed(random.nextInt() & Integer.MAX_VALUE);
            org.bytedeco.opencv.global.opencv_core.kmeans(data, k, labels, criteria, 10, KMEANS_RANDOM_CENTERS, centres);
            float[] c = new float[k * 3];
            try (FloatPointer cp = new FloatPointer(centres.data())) {
                cp.capacity(c.length).get(c);
            }
            int[] assigned = new int[n];
            try (IntPointer lp = new IntPointer(labels.data())) {
                lp.capacity(n).get(assigned);
            }
            byte[] out = new byte[in.length];
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < 3; ch++) {
                    out[3 * i + ch] = (byte) (int) c[3 * assigned[i] + ch];
                }
            }
            return new BgrImage(image.width(), image.height(), out);
        }
    }

    /**
     * The convex lens: each pixel (i, j) within the radius of the centre (h/2, w/2) takes the pixel
     * at {@code round(d/r * (i - h/2) + h/2)}, likewise for j, rounded half to even as numpy rounds.
     */
    static BgrImage convex(BgrImage image, int factor) {
        int h = image.height();
        int w = image.width();
        byte[] in = image.bgr();
        byte[] out = in.clone();
        double cx = h / 2.0;
        double cy = w / 2.0;
        double radius = Math.sqrt((double) h * h + (double) w * w) / factor;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double di = i - cx;
                double dj = j - cy;
                double dis = Math.sqrt(di * di + dj * dj);
                if (dis <= radius) {
                    int si = (int) Math.rint(dis / radius * di + cx);
                    int sj = (int) Math.rint(dis / radius * dj + cy);
                    System.arraycopy(in, 3 * (si * w + sj), out, 3 * (i * w + j), 3);
                }
            }
        }
        return new BgrImage(w, h, out);
    }

    /** {@code img * f} in float64, clipped to [0, 255], truncated. */
    static BgrImage exposure(BgrImage image, double f) {
        byte[] in = image.bgr();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (byte) (int) Math.min(255.0, (in[i] & 0xFF) * f);
        }
        return new BgrImage(image.width(), image.height(), out);
    }

    /**
     * A square of {@code side} (at 224; scaled to the image's side) at rows and columns
     * {@code randint(0, S - side - 1)}, both ends included as Python's {@code random.randint},
     * copied from {@code partner}.
     */
    static BgrImage cutMix(BgrImage image, BgrImage partner, int side, SplittableRandom random) {
        if (partner == null || partner.width() != image.width() || partner.height() != image.height()) {
            throw new IllegalArgumentException("CutMix needs a partner image of the same size");
        }
        int size = image.width();
        int s = side * size / REFERENCE_SIDE;
        int a = random.nextInt(0, size - s);
        int b = random.nextInt(0, size - s);
        byte[] out = image.bgr().clone();
        for (int row = a; row < a + s; row++) {
            System.arraycopy(partner.bgr(), 3 * (row * size + b), out, 3 * (row * size + b), 3 * s);
        }
        return new BgrImage(image.width(), image.height(), out);
    }

    /** {@code getRotationMatrix2D((w/2, h/2), degrees, 0.8)}, {@code warpAffine} INTER_LINEAR, white border. */
    private static void rotate(Mat src, Mat dst, double degrees) {
        try (Point2f centre = new Point2f(src.cols() / 2f, src.rows() / 2f);
             Mat m = getRotationMatrix2D(centre, degrees, 0.8);
             Size size = new Size(src.cols(), src.rows());
             Scalar white = new Scalar(255, 255, 255, 0)) {
            warpAffine(src, dst, m, size, INTER_LINEAR, BORDER_CONSTANT, white);
        }
    }
}
