package org.baid4j.data.pretraining;

/**
 * One sample of the pretraining set: an image, one of its three operations, the image CutMix
 * takes its square from, and the sample's place in the set (which seeds its random operations).
 */
public record PretrainingSample(String image, Degradation op, String cutMixPartner, int index) {
}
