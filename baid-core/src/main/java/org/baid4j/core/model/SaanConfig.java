package org.baid4j.core.model;

/**
 * What defines one SAAN network: the variant, the input size, the head's dropout and activation,
 * the seed of its initialisation, and the optimiser settings the graph is declared with
 * (DL4J binds the updater into the configuration). Defaults are the reference's.
 *
 * @param variant        full, without GAB or without SAB
 * @param inputSize      square input side: a multiple of 32, at least 64 (224 in the reference)
 * @param dropout        head dropout, PyTorch's meaning: the probability of dropping a unit
 * @param headActivation activation after the head's first linear layer
 * @param seed           seed of the weight initialisation
 * @param learningRate   Adam's learning rate
 * @param weightDecay    coupled L2 on every trainable parameter, as PyTorch's Adam weight_decay
 */
public record SaanConfig(SaanVariant variant, int inputSize, double dropout, HeadActivation headActivation,
                         long seed, double learningRate, double weightDecay) {

    public static final int REFERENCE_INPUT_SIZE = 224;
    public static final double REFERENCE_DROPOUT = 0.5;
    public static final double REFERENCE_LEARNING_RATE = 1e-5;
    public static final double REFERENCE_WEIGHT_DECAY = 5e-4;
    public static final double ADAM_BETA1 = 0.5;
    public static final double ADAM_BETA2 = 0.999;

    public SaanConfig {
        if (variant == null) {
            throw new IllegalArgumentException("variant must be given");
        }
        if (inputSize < 64 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input size must be a multiple of 32, at least 64; got " + inputSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        }
        if (headActivation == null) {
            throw new IllegalArgumentException("head activation must be given");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive; got " + learningRate);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0; got " + weightDecay);
        }
    }

    /** The reference SAAN: full, 224 px, dropout 0.5, ReLU, Adam 1e-5, weight decay 5e-4. */
    public static SaanConfig reference() {
        return of(SaanVariant.FULL);
    }

    public static SaanConfig of(SaanVariant variant) {
        return new SaanConfig(variant, REFERENCE_INPUT_SIZE, REFERENCE_DROPOUT, HeadActivation.RELU, 42,
                REFERENCE_LEARNING_RATE, REFERENCE_WEIGHT_DECAY);
    }

    public SaanConfig withVariant(SaanVariant v) {
        return new SaanConfig(v, inputSize, dropout, headActivation, seed, learningRate, weightDecay);
    }

    public SaanConfig withInputSize(int size) {
        return new SaanConfig(variant, size, dropout, headActivation, seed, learningRate, weightDecay);
    }

    public SaanConfig withDropout(double p) {
        return new SaanConfig(variant, inputSize, p, headActivation, seed, learningRate, weightDecay);
    }

    public SaanConfig withHeadActivation(HeadActivation a) {
        return new SaanConfig(variant, inputSize, dropout, a, seed, learningRate, weightDecay);
    }

    public SaanConfig withSeed(long s) {
        return new SaanConfig(variant, inputSize, dropout, headActivation, s, learningRate, weightDecay);
    }

    public SaanConfig withLearningRate(double lr) {
        return new SaanConfig(variant, inputSize, dropout, headActivation, seed, lr, weightDecay);
    }

    public SaanConfig withWeightDecay(double wd) {
        return new SaanConfig(variant, inputSize, dropout, headActivation, seed, learningRate, wd);
    }

    /** Side of the GAB/fused feature map: the input downsampled 16 times (14 at 224). */
    public int fusedMapSize() {
        return inputSize / 16;
    }
}
