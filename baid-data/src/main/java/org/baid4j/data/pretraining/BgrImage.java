package org.baid4j.data.pretraining;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * An 8-bit image in OpenCV's BGR order, pixels interleaved row by row, as the reference's
 * pretraining code holds them ({@code cv.imread}).
 */
public record BgrImage(int width, int height, byte[] bgr) {
    public BgrImage {
        if (width <= 0 || height <= 0 || bgr.length != 3L * width * height) {
            throw new IllegalArgumentException("BGR image " + width + "x" + height + " with " + bgr.length + " bytes");
        }
    }

    /** Channel {@code c} (0 = B) of pixel (x, y), 0-255. */
    public int get(int x, int y, int c) {
        return bgr[3 * (y * width + x) + c] & 0xFF;
    }

    /** A new Mat holding a copy of the pixels (the caller closes it). */
    Mat toMat() {
        Mat mat = new Mat(height, width, CV_8UC3);
        try (BytePointer data = mat.data()) {
            data.capacity(bgr.length).put(bgr);
        }
        return mat;
    }

    /** The pixels of an 8-bit, 3-channel Mat. */
    static BgrImage of(Mat mat) {
        if (mat.type() != CV_8UC3) {
            throw new IllegalStateException("expected an 8-bit BGR Mat, got type " + mat.type());
        }
        Mat continuous = mat.isContinuous() ? mat : mat.clone();
        byte[] out = new byte[3 * continuous.cols() * continuous.rows()];
        continuous.data().capacity(out.length).get(out);
        if (continuous != mat) {
            continuous.close();
        }
        return new BgrImage(mat.cols(), mat.rows(), out);
    }
}
