package org.baid4j.data;

/** Image formats recognised by their first bytes, with a check that the file is complete. */
enum ImageFormat {
    JPEG("JPEG"), PNG("PNG"), BMP("BMP"), OTHER("image"), UNKNOWN("unknown");

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
        if (startsWith(d, "GIF8") || startsWith(d, "RIFF") || startsWith(d, "II*") || startsWith(d, "MM\0*")
                || startsWith(d, "P6") || startsWith(d, "P5") || startsWith(d, "P3")) {
            return OTHER;   // OpenCV decides (WebP, TIFF, PNM; GIF it refuses)
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
