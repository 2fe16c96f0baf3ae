package org.baid4j.data.pipeline;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.ImageDecoder;
import org.baid4j.data.PillowResize;
import org.baid4j.data.RgbImage;

import java.nio.file.Path;

/** Images decoded from their files on every call (JPEG decoding and the Pillow-exact resize). */
public final class FileImages implements ResizedImages {
    private final Path directory;
    private final int size;

    public FileImages(Path directory, int size) {
        this.directory = directory;
        this.size = size;
    }

    @Override
    public RgbImage resized(String name) throws ImageDecodeException {
        return PillowResize.bilinear(ImageDecoder.decode(directory.resolve(name)), size, size);
    }

    @Override
    public int size() {
        return size;
    }
}
