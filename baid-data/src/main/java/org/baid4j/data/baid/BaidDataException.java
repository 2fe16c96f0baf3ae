package org.baid4j.data.baid;

import java.io.IOException;

/** Data that cannot be used as it is: the message names the file (and line) and the problem. */
public class BaidDataException extends IOException {
    public BaidDataException(String message) {
        super(message);
    }
}
