package org.baid4j.scoring;

import java.io.IOException;

/** An image that could not be scored; the message is one line naming the image and the problem. */
public class ScoringException extends IOException {
    private final String source;

    public ScoringException(String source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    public ScoringException(String source, String message) {
        this(source, message, null);
    }

    /** The image as the caller named it: a path as given, or a label for bytes and decoded images. */
    public String source() {
        return source;
    }
}
