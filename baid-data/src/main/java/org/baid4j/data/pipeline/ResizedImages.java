package org.baid4j.data.pipeline;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.RgbImage;

/** Where training and evaluation get their images from, already at the network's input size. */
public interface ResizedImages {
    /** The image {@code name}, size x size. Thread-safe. */
    RgbImage resized(String name) throws ImageDecodeException;

    /** Side of the images returned. */
    int size();
}
