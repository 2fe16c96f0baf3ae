package org.baid4j.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * Decodes image files to 8-bit RGB exactly as the reference does: OpenCV's decoder with
 * {@code IMREAD_COLOR} (EXIF orientation applied; greyscale, palette and 16-bit PNGs converted to
 * 8-bit BGR, alpha dropped), then BGR to RGB. JPEG, PNG, BMP and whatever else OpenCV reads.
 *
 * <p>Unlike OpenCV, a truncated JPEG or PNG is an error rather than an image padded with grey:
 * the file's structure is checked before decoding.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    public static RgbImage decode(Path file) throws ImageDecodeException {
        return decode(file, read(file));
    }

    /** The bytes of an image file, or an error naming what stands in the way (no file, a folder, a dangling link, no permission). */
    public static byte[] read(Path file) throws ImageDecodeException {
        byte[] data;
        try {
            if (Files.isDirectory(file)) {
                throw new ImageDecodeException(file, "is a directory, not an image", ImageDecodeException.Kind.UNREADABLE);
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(file)) {
                throw new ImageDecodeException(file, "a link to nothing (" + linkTarget(file) + " does not exist)", ImageDecodeException.Kind.UNREADABLE);
            }
            throw new ImageDecodeException(file, "no such file", ImageDecodeException.Kind.UNREADABLE);
        } catch (AccessDeniedException e) {
            throw new ImageDecodeException(file, "cannot read (permission denied)", ImageDecodeException.Kind.UNREADABLE);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDecodeException(file, "cannot read (" + e.getMessage() + ")", ImageDecodeException.Kind.UNREADABLE);
        }
        return data;
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "its target";
        }
    }

    /** The most pixels an image may have here (Pillow's limit, as the reference's loader has it). */
    public static final long MAX_PIXELS = ImageFormat.MAX_PIXELS;

    /**
     * Width and height as the header of encoded {@code data} gives them, before any decoding (JPEG,
     * PNG, BMP), or null where the format's header does not give them plainly.
     */
    public static long[] headerSize(byte[] data) {
        ImageFormat format = ImageFormat.sniff(data);
        return format == ImageFormat.UNKNOWN ? null : format.dimensions(data);
    }

    /** Decodes {@code data}, the contents of {@code file} (named in errors only). */
    public static RgbImage decode(Path file, byte[] data) throws ImageDecodeException {
        RgbImage bgr = decodeBgr(file, data);
        byte[] rgb = bgr.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            byte b = rgb[i];
            rgb[i] = rgb[i + 2];
            rgb[i + 2] = b;
        }
        return bgr;
    }

    /** The pixels in OpenCV's BGR order (the record's channels are B, G, R). */
    static RgbImage decodeBgr(Path file, byte[] data) throws ImageDecodeException {
        return withBgrPixels(file, data, bgr -> {
            byte[] copy = new byte[3 * bgr.cols() * bgr.rows()];
            bgr.data().capacity(copy.length).get(copy);
            return new RgbImage(bgr.cols(), bgr.rows(), copy);
        });
    }

    /** What to do with decoded BGR pixels (8-bit, 3 channels, continuous) while OpenCV still holds them. */
    @FunctionalInterface
    public interface BgrPixels<T> {
        T apply(Mat bgr);
    }

    /**
     * Decodes {@code data} and hands the BGR pixels, in OpenCV's own buffer (valid only during the
     * call), to {@code use}: the input pipeline resizes straight from there, saving a copy of the
     * full-size image into the Java heap.
     */
    static <T> T withBgrPixels(Path file, byte[] data, BgrPixels<T> use) throws ImageDecodeException {
        if (data.length == 0) {
            throw new ImageDecodeException(file, "empty file", ImageDecodeException.Kind.EMPTY);
        }
        ImageFormat format = ImageFormat.sniff(data);
        if (format == ImageFormat.UNKNOWN) {
            throw new ImageDecodeException(file, "not an image (unrecognised content" + describeStart(data) + ")", ImageDecodeException.Kind.NOT_AN_IMAGE);
        }
        if (!format.supported()) {
            throw new ImageDecodeException(file, "a " + format.label() + " image, a format not supported here (JPEG, PNG,"
                    + " BMP, WebP, TIFF and PNM are)", ImageDecodeException.Kind.UNSUPPORTED);
        }
        String damage = format.structuralProblem(data);
        if (damage != null) {
            throw new ImageDecodeException(file, damage);
        }
        String tooLarge = format.sizeProblem(data);
        if (tooLarge != null) {
            throw new ImageDecodeException(file, tooLarge, ImageDecodeException.Kind.TOO_LARGE);
        }
        Buffers buffers = BUFFERS.get();
        BytePointer bytes = buffers.encoded(data);
        // imdecode returns a new header (by value) on the reused Mat: close it, or the next create() reallocates.
        try (Mat encoded = new Mat(1, data.length, CV_8UC1, bytes);
             Mat bgr = imdecode(encoded, IMREAD_COLOR, buffers.decoded)) {
            if (bgr == null || bgr.empty()) {
                throw new ImageDecodeException(file, "cannot decode this " + format.label() + " file (damaged?)");
            }
            if (bgr.type() != CV_8UC3 || !bgr.isContinuous()) {
                throw new ImageDecodeException(file, "decoded to " + bgr.cols() + "x" + bgr.rows() + " pixels of type "
                        + bgr.type() + ", not 8-bit colour (too large to decode? the limit is " + ImageFormat.MAX_PIXELS
                        + " pixels)");
            }
            return use.apply(bgr);
        }
    }

    /**
     * Per-thread native buffers for the encoded bytes and the decoded image: OpenCV reuses the
     * decoded Mat when the next image has the same size, which spares a 2-3 MB allocation and its
     * page faults per image. Threads of a decoding pool live as long as the pool.
     */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final Mat decoded = new Mat();
        BytePointer encoded = new BytePointer(0L);

        BytePointer encoded(byte[] data) {
            if (encoded.capacity() < data.length) {
                encoded.close();
                encoded = new BytePointer(Math.max(data.length, 2 * encoded.capacity()));
            }
            encoded.position(0).put(data, 0, data.length);
            return encoded;
        }
    }

    /** Decodes {@code file} (checked as {@link #decode} checks it) and hands its BGR pixels to {@code use}, valid during the call only. */
    public static <T> T withBgrPixels(Path file, BgrPixels<T> use) throws ImageDecodeException {
        return withBgrPixels(file, read(file), use);
    }

    private static String describeStart(byte[] data) {
        int n = Math.min(data.length, 5);
        String start = new String(data, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (start.startsWith("<") || start.toLowerCase(java.util.Locale.ROOT).startsWith("<!doc")) {
            return ", looks like HTML or XML";
        }
        return "";
    }
}
