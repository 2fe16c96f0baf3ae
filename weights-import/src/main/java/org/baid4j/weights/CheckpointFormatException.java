package org.baid4j.weights;

import java.io.IOException;

/** A checkpoint that cannot be read or mapped: the message names the file and, where there is one, the key. */
public class CheckpointFormatException extends IOException {
    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
