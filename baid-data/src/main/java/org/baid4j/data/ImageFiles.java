package org.baid4j.data;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A quick look at an image file without decoding it: present, not empty, an image by its first
 * bytes, and (JPEG, PNG) ending as a complete file does. Reads a few bytes at each end, so that
 * 60,000 files are checked in seconds; {@link ImageDecoder} does the full check.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** What is wrong with the file, or null if it looks like a complete image. */
    public static String quickProblem(Path file) {
        if (!Files.exists(file)) {
            return "missing";
        }
        if (!Files.isRegularFile(file)) {
            return "not a regular file";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length == 0) {
                return "empty file";
            }
            byte[] head = new byte[(int) Math.min(16, length)];
            f.readFully(head);
            ImageFormat format = ImageFormat.sniff(head);
            if (format == ImageFormat.UNKNOWN) {
                return "not an image";
            }
            byte[] tail = new byte[(int) Math.min(12, length)];
            f.seek(length - tail.length);
            f.readFully(tail);
            if (format == ImageFormat.JPEG && !endsWith(tail, (byte) 0xFF, (byte) 0xD9)) {
                return "truncated JPEG (no end-of-image marker at the end)";
            }
            if (format == ImageFormat.PNG && !(tail.length == 12 && tail[4] == 'I' && tail[5] == 'E'
                    && tail[6] == 'N' && tail[7] == 'D')) {
                return "truncated PNG (no IEND chunk at the end)";
            }
            return null;
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static boolean endsWith(byte[] data, byte a, byte b) {
        // Some writers pad after EOI with zeros or a newline: look at the last few bytes.
        for (int i = data.length - 2; i >= 0 && i >= data.length - 12; i--) {
            if (data[i] == a && data[i + 1] == b) {
                return true;
            }
        }
        return false;
    }
}
