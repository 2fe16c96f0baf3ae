package org.baid4j.data.pretraining;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.ImageDecoder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.FloatBuffer;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Images as the reference's pretraining reads them ({@code pretrain_mani.py}): {@code cv.imread}
 * then {@code cv.resize} to S x S with INTER_LINEAR in BGR (not the PIL filter of the scoring path);
 * every rendered image written as JPEG at OpenCV's default quality 95 and read back; then BGR to
 * RGB, {@code ToTensor} and ImageNet's {@code Normalize}.
 */
public final class PretrainingImages {
    /** OpenCV's default JPEG quality, which {@code cv.imwrite} of a .jpg uses. */
    public static final int JPEG_QUALITY = 95;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private PretrainingImages() {
    }

    /** {@code cv.resize(cv.imread(file), (side, side))}; an unreadable file is an error naming it. */
    public static BgrImage read(Path file, int side) throws ImageDecodeException {
        return ImageDecoder.withBgrPixels(file, bgr -> {
            try (Mat dst = new Mat(); Size size = new Size(side, side)) {
                resize(bgr, dst, size);
                return BgrImage.of(dst);
            }
        });
    }

    /** The image after {@code cv.imwrite} as JPEG at {@value #JPEG_QUALITY} and {@code cv.imread}. */
    public static BgrImage jpegRoundTrip(BgrImage image) {
        try (Mat src = image.toMat(); BytePointer encoded = new BytePointer()) {
            if (!imencode(".jpg", src, encoded)) {
                throw new IllegalStateException("OpenCV could not encode a JPEG");
            }
            try (Mat buffer = new Mat(1, (int) encoded.limit(), CV_8UC1, encoded); Mat decoded = imdecode(buffer, IMREAD_COLOR)) {
                return BgrImage.of(decoded);
            }
        }
    }

    /** The network's input from a BGR image: RGB, /255, ImageNet mean and std, CHW, into {@code out} from {@code offset}. */
    public static void writeNormalised(BgrImage image, FloatBuffer out, int offset) {
        int plane = image.width() * image.height();
        byte[] bgr = image.bgr();
        for (int c = 0; c < 3; c++) {
            int source = 2 - c;
            float mean = MEAN[c];
            float std = STD[c];
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                out.put(base + i, ((bgr[3 * i + source] & 0xFF) / 255f - mean) / std);
            }
        }
    }
}
