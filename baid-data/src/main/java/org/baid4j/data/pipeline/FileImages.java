package org.baid4j.data.pipeline;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.SaanTransform;
import org.baid4j.data.RgbImage;

import java.nio.file.Path;

/** Images decoded from their files on every call (JPEG decoding and the Pillow-exact resize). */
public final class FileImages implements ResizedImages {
    private final Path directory;
    private final SaanTransform transform;

    public FileImages(Path directory, int size) {
        this.directory = directory;
        this.transform = new SaanTransform(size);
    }

    @Override
    public RgbImage resized(String name) throws ImageDecodeException {
        return transform.resize(directory.resolve(name));
    }

    @Override
    public int size() {
        return transform.size();
    }
}
