package org.baid4j.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Image formats recognised by their first bytes, with a check that the file is complete. */
enum ImageFormat {
    JPEG("JPEG"), PNG("PNG"), BMP("BMP"), GIF("GIF"), OTHER("image"), UNKNOWN("unknown");

    private final String label;

    ImageFormat(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static ImageFormat sniff(byte[] d) {
        if (d.length >= 3 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8 && (d[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (d.length >= 8 && (d[0] & 0xFF) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G') {
            return PNG;
        }
        if (d.length >= 2 && d[0] == 'B' && d[1] == 'M') {
            return BMP;
        }
        if (startsWith(d, "GIF8")) {
            return GIF;
        }
        if (startsWith(d, "RIFF") || startsWith(d, "II*") || startsWith(d, "MM\0*")
                || startsWith(d, "P6") || startsWith(d, "P5") || startsWith(d, "P3")) {
            return OTHER;   // OpenCV decides (WebP, TIFF, PNM)
        }
        return UNKNOWN;
    }

    private static boolean startsWith(byte[] d, String prefix) {
        if (d.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (d[i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The most pixels an image may have: Pillow's limit (twice its decompression-bomb warning), which
     * the reference's loader applies, so that a file that decodes there decodes here.
     */
    static final long MAX_PIXELS = 2L * (1024 * 1024 * 1024 / 4 / 3);

    /** Whether OpenCV's decoders here read this format (GIF they do not). */
    boolean supported() {
        return this != GIF && this != UNKNOWN;
    }

    /** Why the image is too large to decode, by the size its header gives, or null. */
    String sizeProblem(byte[] d) {
        long[] wh = dimensions(d);
        if (wh == null || wh[0] * wh[1] <= MAX_PIXELS) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "too large to decode: %dx%d pixels, the limit is %,d pixels",
                wh[0], wh[1], MAX_PIXELS);
    }

    /** Width and height from the header, or null where this format's header does not give them plainly. */
    long[] dimensions(byte[] d) {
        switch (this) {
            case PNG:
                return d.length >= 24 ? new long[]{Integer.toUnsignedLong(ByteBuffer.wrap(d).getInt(16)),
                        Integer.toUnsignedLong(ByteBuffer.wrap(d).getInt(20))} : null;
            case BMP:
                return d.length >= 26 ? new long[]{Math.abs((long) littleEndian(d).getInt(18)),
                        Math.abs((long) littleEndian(d).getInt(22))} : null;
            case JPEG:
                return jpegDimensions(d);
            default:
                return null;
        }
    }

    private static ByteBuffer littleEndian(byte[] d) {
        return ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** From the first start-of-frame segment (SOF0-SOF15, not DHT, JPG or DAC). */
    private static long[] jpegDimensions(byte[] d) {
        int i = 2;
        while (i + 3 < d.length && (d[i] & 0xFF) == 0xFF) {
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return null;
            }
            int length = ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                if (i + 8 >= d.length) {
                    return null;
                }
                long h = ((d[i + 5] & 0xFF) << 8) | (d[i + 6] & 0xFF);
                long w = ((d[i + 7] & 0xFF) << 8) | (d[i + 8] & 0xFF);
                return new long[]{w, h};
            }
            i += 2 + length;
        }
        return null;
    }

    /** Why the file is incomplete, or null if its structure is whole. */
    String structuralProblem(byte[] d) {
        switch (this) {
            case JPEG:
                return jpegComplete(d) ? null : "truncated JPEG (the data ends before the end-of-image marker)";
            case PNG:
                return pngComplete(d) ? null : "truncated PNG (no IEND chunk at the end)";
            default:
                return null;
        }
    }

    /**
     * Walks the JPEG's segments from SOI: marker segments by their lengths, entropy-coded data up to
     * the next marker, until EOI. Bytes after EOI are allowed (some cameras append data).
     */
    static boolean jpegComplete(byte[] d) {
        int i = 2;
        while (i + 1 < d.length) {
            if ((d[i] & 0xFF) != 0xFF) {
                return false;   // lost sync: damaged
            }
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;            // fill byte
                continue;
            }
            if (marker == 0xD9) {
                return true;    // EOI
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;         // standalone markers
                continue;
            }
            if (i + 3 >= d.length) {
                return false;
            }
            int length = ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
            i += 2 + length;
            if (marker == 0xDA) {
                // Entropy-coded scan: runs to the next marker that is not a stuffed 0xFF00 or a restart.
                while (i + 1 < d.length) {
                    i = nextFF(d, i);
                    if (i + 1 >= d.length) {
                        break;
                    }
                    if ((d[i] & 0xFF) == 0xFF) {
                        int next = d[i + 1] & 0xFF;
                        if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) {
                            break;
                        }
                    }
                    i++;
                }
            }
        }
        return false;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * The index of the first 0xFF byte from {@code i} on (or a position near the end): eight bytes
     * at a time, since the scan data is most of a JPEG and every image is checked before decoding.
     */
    private static int nextFF(byte[] d, int i) {
        while (i + 8 <= d.length) {
            long inverted = ~(long) LONGS.get(d, i);   // a 0xFF byte becomes a zero byte
            long zeroBytes = (inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L;
            if (zeroBytes != 0) {
                return i + Long.numberOfTrailingZeros(zeroBytes) / 8;   // the lowest is exact
            }
            i += 8;
        }
        return i;
    }

    static boolean pngComplete(byte[] d) {
        // Chunks from byte 8: length (4), type (4), data, CRC (4); the last is IEND.
        long i = 8;
        while (i + 8 <= d.length) {
            long length = ((d[(int) i] & 0xFFL) << 24) | ((d[(int) i + 1] & 0xFFL) << 16)
                    | ((d[(int) i + 2] & 0xFFL) << 8) | (d[(int) i + 3] & 0xFFL);
            boolean iend = d[(int) i + 4] == 'I' && d[(int) i + 5] == 'E' && d[(int) i + 6] == 'N' && d[(int) i + 7] == 'D';
            long end = i + 12 + length;
            if (end > d.length) {
                return false;
            }
            if (iend) {
                return true;
            }
            i = end;
        }
        return false;
    }
}
