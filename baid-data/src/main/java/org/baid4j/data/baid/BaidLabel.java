package org.baid4j.data.baid;

/** One row of a split file: an image file name and its mean score on the 0-10 scale. */
public record BaidLabel(String image, double score) {
    /** The regression target the reference trains on: score / 10. */
    public double target() {
        return score / 10.0;
    }
}
