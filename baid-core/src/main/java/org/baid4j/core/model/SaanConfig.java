package org.baid4j.core.model;

/**
 * What defines one SAAN network: the variant, the input size, the head's dropout and activation,
 * and the seed of its initialisation. The optimiser is a training setting
 * ({@link org.baid4j.core.optim.OptimiserConfig}), not part of the network. Defaults are the reference's.
 *
 * @param variant        full, without GAB or without SAB
 * @param inputSize      square input side: a multiple of 32, at least 64 (224 in the reference)
 * @param dropout        head dropout, PyTorch's meaning: the probability of dropping a unit
 * @param headActivation activation after the head's first linear layer
 * @param seed           seed of the weight initialisation
 */
public record SaanConfig(SaanVariant variant, int inputSize, double dropout, HeadActivation headActivation, long seed) {

    public static final int REFERENCE_INPUT_SIZE = 224;
    public static final double REFERENCE_DROPOUT = 0.5;
    public static final long REFERENCE_SEED = 42;

    /** The smallest input side: the backbones halve it five times and the head pools the rest 2x2. */
    public static final int MIN_INPUT_SIZE = 64;

    public SaanConfig {
        if (variant == null) {
            throw new IllegalArgumentException("variant must be given");
        }
        if (inputSize < MIN_INPUT_SIZE || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input size must be a multiple of 32, at least " + MIN_INPUT_SIZE + "; got " + inputSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        }
        if (headActivation == null) {
            throw new IllegalArgumentException("head activation must be given");
        }
    }

    /** The reference SAAN: full, 224 px, dropout 0.5, ReLU. */
    public static SaanConfig reference() {
        return of(SaanVariant.FULL);
    }

    public static SaanConfig of(SaanVariant variant) {
        return new SaanConfig(variant, REFERENCE_INPUT_SIZE, REFERENCE_DROPOUT, HeadActivation.RELU, REFERENCE_SEED);
    }

    public SaanConfig withInputSize(int size) {
        return new SaanConfig(variant, size, dropout, headActivation, seed);
    }

    public SaanConfig withDropout(double p) {
        return new SaanConfig(variant, inputSize, p, headActivation, seed);
    }

    public SaanConfig withHeadActivation(HeadActivation a) {
        return new SaanConfig(variant, inputSize, dropout, a, seed);
    }

    public SaanConfig withVariant(SaanVariant v) {
        return new SaanConfig(v, inputSize, dropout, headActivation, seed);
    }

    public SaanConfig withSeed(long s) {
        return new SaanConfig(variant, inputSize, dropout, headActivation, s);
    }

    /** Side of the GAB/fused feature map: the input downsampled 16 times (14 at 224). */
    public int fusedMapSize() {
        return inputSize / 16;
    }
}
