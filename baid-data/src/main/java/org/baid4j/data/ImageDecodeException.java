package org.baid4j.data;

import java.io.IOException;
import java.nio.file.Path;

/** An image file that cannot be used; the message is one line naming the file and the problem. */
public class ImageDecodeException extends IOException {
    /** What is wrong, for callers that answer differently by kind (a service's status codes, its metrics). */
    public enum Kind {
        /** The file or the bytes cannot be read at all (missing, a folder, no permission). */
        UNREADABLE,
        EMPTY,
        /** Bytes that are no image format known here. */
        NOT_AN_IMAGE,
        /** An image format the decoders here do not read (GIF). */
        UNSUPPORTED,
        /** An image of a known format that is truncated or damaged. */
        DAMAGED,
        /** More pixels than the limit (a decompression bomb, or a limit a caller set). */
        TOO_LARGE
    }

    private final Path file;
    private final Kind kind;

    public ImageDecodeException(Path file, String problem) {
        this(file, problem, Kind.DAMAGED);
    }

    public ImageDecodeException(Path file, String problem, Kind kind) {
        super(file + ": " + problem);
        this.file = file;
        this.kind = kind;
    }

    public Path file() {
        return file;
    }

    public Kind kind() {
        return kind;
    }
}
