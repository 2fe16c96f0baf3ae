package org.baid4j.data;

import java.io.IOException;
import java.nio.file.Path;

/** An image file that cannot be used; the message is one line naming the file and the problem. */
public class ImageDecodeException extends IOException {
    private final Path file;

    public ImageDecodeException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
