package org.baid4j.scoring;

import org.baid4j.data.ImageDecodeException;

import java.io.IOException;

/** An image that could not be scored; the message is one line naming the image and the problem. */
public class ScoringException extends IOException {
    /** What went wrong, for callers that answer by kind (a service's status codes and metrics). */
    public enum Kind {
        /** The file cannot be read (missing, a folder, no permission). */
        UNREADABLE,
        EMPTY,
        NOT_AN_IMAGE,
        /** An image format the decoders here do not read. */
        UNSUPPORTED,
        /** Truncated or damaged. */
        DAMAGED,
        /** More pixels than the scorer's limit. */
        TOO_LARGE,
        /** The model failed, or gave no number. */
        MODEL;

        /** The kind's name as services show it: not-an-image, too-large. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final String source;
    private final Kind kind;

    public ScoringException(String source, String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.source = source;
        this.kind = kind;
    }

    public ScoringException(String source, String message, Throwable cause) {
        this(source, message, Kind.MODEL, cause);
    }

    public ScoringException(String source, String message) {
        this(source, message, Kind.MODEL, null);
    }

    /** An image the decoder refused, of the decoder's kind. */
    static ScoringException of(String source, ImageDecodeException e) {
        return new ScoringException(source, e.getMessage(), Kind.valueOf(e.kind().name()), e);
    }

    /** The image as the caller named it: a path as given, or a label for bytes and decoded images. */
    public String source() {
        return source;
    }

    public Kind kind() {
        return kind;
    }
}
